"""Kafka TLS/SASL settings reach the FastStream broker, whose producer the outbox relay uses too."""

import ssl

from faststream.security import SASLScram512

from shared.kafka import BROKER_MAX_MESSAGE_BYTES, broker_security, make_broker
from shared.settings import Settings


def producer_options(settings: Settings) -> dict[str, object]:
    """The keyword arguments the broker builds its aiokafka producer (and admin client) from."""
    return dict(make_broker(settings)._connection_kwargs)


def test_plaintext_by_default() -> None:
    settings = Settings()
    assert broker_security(settings) is None
    assert "security_protocol" not in producer_options(settings)  # aiokafka's PLAINTEXT


def test_the_producer_waits_for_all_replicas_never_duplicates_and_takes_the_largest_event() -> None:
    options = producer_options(Settings())
    assert (options["acks"], options["enable_idempotence"]) == ("all", True)
    assert options["max_request_size"] == BROKER_MAX_MESSAGE_BYTES


def test_sasl_over_tls_for_broker_and_producer() -> None:
    settings = Settings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="schakel",
        kafka_sasl_password="s3cret",
    )
    security = broker_security(settings)
    assert isinstance(security, SASLScram512)
    assert (security.username, security.password, security.use_ssl) == ("schakel", "s3cret", True)
    options = producer_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_password"] == "s3cret"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert "s3cret" not in repr(settings)
