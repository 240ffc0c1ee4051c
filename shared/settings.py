"""Settings every service reads from the environment (safe local defaults)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Connection settings shared by all services; each field maps to an environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    kafka_bootstrap_servers: str = Field(
        "localhost:9092",
        description="Kafka bootstrap servers, comma separated (KAFKA_BOOTSTRAP_SERVERS).",
    )
    database_url: str = Field(
        "postgresql+asyncpg://schakel@127.0.0.1:5432/schakel",
        description="SQLAlchemy URL of the PostgreSQL database (DATABASE_URL).",
    )
    max_message_bytes: int = Field(
        1_000_000,
        description="Largest inbound event accepted; bigger ones are rejected (MAX_MESSAGE_BYTES).",
    )
    intake_batch_size: int = Field(
        500, description="Most inbound events intake applies per transaction (INTAKE_BATCH_SIZE)."
    )
    outbox_poll_seconds: float = Field(
        0.2, description="How often the outbox relay looks for unsent events (OUTBOX_POLL_SECONDS)."
    )
    outbox_batch_size: int = Field(
        500, description="Events the outbox relay sends per round (OUTBOX_BATCH_SIZE)."
    )
    http_host: str = Field(
        "127.0.0.1",
        description="Address the /health, /ready and /metrics port listens on; 0.0.0.0 in a "
        "container (HTTP_HOST).",
    )
    metrics_interval_seconds: float = Field(
        15.0,
        description="How often outbox, lag and other stored-state gauges are refreshed "
        "(METRICS_INTERVAL_SECONDS).",
    )
    alembic_config: str = Field(
        "deploy/alembic.ini",
        description="Alembic configuration whose head revision /ready expects (ALEMBIC_CONFIG).",
    )
