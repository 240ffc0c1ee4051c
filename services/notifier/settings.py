"""Notifier settings: SMTP, delivery retries, digest and reminder timing (safe local defaults)."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import Settings


class NotifierSettings(Settings):
    """Each field of its own reads ``NOTIFIER_<NAME>``; the shared ones keep their names."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_prefix="NOTIFIER_")

    http_port: int = Field(8003, description="Port of /health, /ready and /metrics.")
    smtp_host: str = Field("127.0.0.1", description="SMTP server host.")
    smtp_port: int = Field(25, description="SMTP server port.")
    smtp_user: str | None = Field(None, description="SMTP login, if the server wants one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_from: str = Field("Schakel <noreply@schakel.example>", description="Sender of every mail.")
    smtp_starttls: bool = Field(False, description="Upgrade with STARTTLS.")
    smtp_timeout_seconds: float = Field(20, description="SMTP timeout.")
    webhook_timeout_seconds: float = Field(
        10, description="How long a webhook endpoint may take to answer."
    )
    webhook_private_allowed: bool = Field(
        False,
        description="Let deliveries reach webhooks inside a network (a local receiver in "
        "development and tests); never in production: otherwise each delivery's connection "
        "checks the addresses it resolves and goes to one of them.",
    )
    consumer_batch_size: int = Field(500, description="Events the consumer takes per batch.")
    consumer_linger_seconds: float = Field(
        0.25,
        ge=0,
        description="After a batch smaller than a full one, how long the consumer waits before "
        "taking the next: what arrives meanwhile shares one transaction instead of each event "
        "paying for its own (the notifier is on no one's clock to the millisecond; the needs' "
        "path to their suggestions does not pass through it).",
    )
    coordinator_cache_seconds: float = Field(
        30,
        ge=0,
        description="How long the coordinators of a region are cached; a coordinator added or "
        "changed is picked up at most this much later (0: read for every batch).",
    )
    dispatch_poll_seconds: float = Field(
        1.0, description="How often due deliveries are looked for."
    )
    dispatch_batch_size: int = Field(50, description="Deliveries sent per dispatcher round.")
    periodic_seconds: float = Field(
        60, description="How often digests and reminders are looked for."
    )
    retry_base_seconds: float = Field(
        30, description="First retry delay of a failed delivery; doubles each time."
    )
    retry_max_seconds: float = Field(3600, description="Longest delay between two attempts.")
    max_attempts: int = Field(60, description="Attempts before a delivery is marked failed.")
    digest_hour: int = Field(
        7, ge=0, le=23, description="Local hour (Europe/Brussels) the daily digest goes out."
    )
    niceness: int = Field(
        0,
        ge=0,
        le=19,
        description="CPU niceness the notifier raises itself to when it starts (never lowers "
        "it). On a machine it shares with intake and the matcher (`make up`: 10) its bursts of "
        "work then yield the cores to the needs on their way to a suggestion; under full load "
        "the review state and the mails follow a little later.",
    )
