"""Settings every service reads from the environment (safe local defaults)."""

from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def Shared(default: Any, description: str, name: str) -> Any:  # noqa: N802 (reads like Field)
    """A field read from the unprefixed variable ``NAME`` in every service, whatever prefix the
    service's own settings carry (the alias keeps ``env_prefix`` off it)."""
    return Field(
        default, validation_alias=AliasChoices(name.upper(), name), description=description
    )


class Settings(BaseSettings):
    """Connection settings shared by all services; each field maps to an environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    kafka_bootstrap_servers: str = Shared(
        "localhost:9092",
        description="Kafka bootstrap servers, comma separated (KAFKA_BOOTSTRAP_SERVERS).",
        name="kafka_bootstrap_servers",
    )
    database_url: str = Shared(
        "postgresql+asyncpg://schakel@127.0.0.1:5432/schakel",
        description="SQLAlchemy URL of the PostgreSQL database (DATABASE_URL).",
        name="database_url",
    )
    max_message_bytes: int = Shared(
        1_000_000,
        description="Largest inbound event accepted; bigger ones are rejected (MAX_MESSAGE_BYTES).",
        name="max_message_bytes",
    )
    intake_batch_size: int = Shared(
        500,
        description="Most inbound events intake applies per transaction (INTAKE_BATCH_SIZE).",
        name="intake_batch_size",
    )
    outbox_poll_seconds: float = Shared(
        0.2,
        description="How often the outbox relay looks for unsent events (OUTBOX_POLL_SECONDS).",
        name="outbox_poll_seconds",
    )
    outbox_batch_size: int = Shared(
        500,
        description="Events the outbox relay sends per round (OUTBOX_BATCH_SIZE).",
        name="outbox_batch_size",
    )
    http_host: str = Shared(
        "127.0.0.1",
        description="Address the /health, /ready and /metrics port listens on; 0.0.0.0 in a "
        "container (HTTP_HOST).",
        name="http_host",
    )
    metrics_interval_seconds: float = Shared(
        15.0,
        description="How often outbox, lag and other stored-state gauges are refreshed "
        "(METRICS_INTERVAL_SECONDS).",
        name="metrics_interval_seconds",
    )
    alembic_config: str = Shared(
        "deploy/alembic.ini",
        description="Alembic configuration whose head revision /ready expects (ALEMBIC_CONFIG).",
        name="alembic_config",
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Shared(
        "PLAINTEXT",
        description="How clients talk to Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL "
        "(KAFKA_SECURITY_PROTOCOL).",
        name="kafka_security_protocol",
    )
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = Shared(
        "SCRAM-SHA-512",
        description="SASL mechanism when the protocol is SASL_* (KAFKA_SASL_MECHANISM).",
        name="kafka_sasl_mechanism",
    )
    kafka_sasl_username: str | None = Shared(
        None,
        description="SASL user name when the protocol is SASL_* (KAFKA_SASL_USERNAME).",
        name="kafka_sasl_username",
    )
    kafka_sasl_password: SecretStr | None = Shared(
        None,
        description="SASL password when the protocol is SASL_* (KAFKA_SASL_PASSWORD).",
        name="kafka_sasl_password",
    )
    kafka_ssl_cafile: str | None = Shared(
        None,
        description="CA bundle that signs the brokers' certificates; unset: the system's "
        "(KAFKA_SSL_CAFILE).",
        name="kafka_ssl_cafile",
    )
    api_public_url: str = Shared(
        "http://localhost:8000",
        description="Address where people open Schakel's pages; every mail links there "
        "(API_PUBLIC_URL).",
        name="api_public_url",
    )
    vocabulary_file: str | None = Shared(
        None,
        description="A vocabulary JSON file (the shape of shared/data/vocabulary.json) read "
        "instead of the shipped one as the reviewed base, when the matcher starts; term pairs "
        "administrators add on /beheer/termen come on top of it (VOCABULARY_FILE).",
        name="vocabulary_file",
    )
    reminder_working_days: int = Field(
        3,
        # The notifier's former name still counts, so a deployment that set it keeps its delay.
        validation_alias=AliasChoices(
            "REMINDER_WORKING_DAYS", "reminder_working_days", "NOTIFIER_REMINDER_WORKING_DAYS"
        ),
        description="Working days a suggestion may stay undecided before the coordinator is "
        "reminded; the review queue marks it late from then on (REMINDER_WORKING_DAYS).",
    )
