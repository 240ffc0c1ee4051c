"""The FastStream Kafka broker every service uses."""

from faststream.kafka import KafkaBroker

from shared.settings import Settings


def make_broker(settings: Settings) -> KafkaBroker:
    """A broker whose publishers wait for all replicas and never duplicate on retry."""
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        client_id="schakel",
    )
