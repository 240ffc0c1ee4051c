"""Notifier settings: SMTP, delivery retries, digest and reminder timing (safe local defaults)."""

from pydantic import AliasChoices, Field

from shared.settings import Settings


class NotifierSettings(Settings):
    """Every field maps to the environment variable of the same name in upper case."""

    http_port: int = Field(
        8003,
        validation_alias=AliasChoices("NOTIFIER_HTTP_PORT", "http_port"),
        description="Port of /health, /ready and /metrics (NOTIFIER_HTTP_PORT).",
    )
    smtp_host: str = Field("127.0.0.1", description="SMTP server host (SMTP_HOST).")
    smtp_port: int = Field(25, description="SMTP server port (SMTP_PORT).")
    smtp_user: str | None = Field(None, description="SMTP login, if the server wants one.")
    smtp_password: str | None = Field(None, description="SMTP password (SMTP_PASSWORD).")
    smtp_from: str = Field(
        "Schakel <noreply@schakel.example>", description="Sender of every mail (SMTP_FROM)."
    )
    smtp_starttls: bool = Field(False, description="Upgrade with STARTTLS (SMTP_STARTTLS).")
    smtp_timeout_seconds: float = Field(20, description="SMTP timeout (SMTP_TIMEOUT_SECONDS).")
    webhook_timeout_seconds: float = Field(
        10, description="How long a webhook endpoint may take to answer (WEBHOOK_TIMEOUT_SECONDS)."
    )
    consumer_batch_size: int = Field(
        100, description="Events the consumer takes per batch (CONSUMER_BATCH_SIZE)."
    )
    dispatch_poll_seconds: float = Field(
        1.0, description="How often due deliveries are looked for (DISPATCH_POLL_SECONDS)."
    )
    dispatch_batch_size: int = Field(
        50, description="Deliveries sent per dispatcher round (DISPATCH_BATCH_SIZE)."
    )
    periodic_seconds: float = Field(
        60, description="How often digests and reminders are looked for (PERIODIC_SECONDS)."
    )
    retry_base_seconds: float = Field(
        30, description="First retry delay of a failed delivery; doubles each time."
    )
    retry_max_seconds: float = Field(3600, description="Longest delay between two attempts.")
    max_attempts: int = Field(
        60, description="Attempts before a delivery is marked failed (MAX_ATTEMPTS)."
    )
    reminder_working_days: int = Field(
        3,
        description="Working days a suggestion may stay undecided before the coordinator is "
        "reminded (REMINDER_WORKING_DAYS).",
    )
    digest_hour: int = Field(
        7, ge=0, le=23, description="Local hour (Europe/Brussels) the daily digest goes out."
    )
