"""Kafka TLS/SASL settings reach the FastStream broker and the outbox producer alike."""

import ssl

from faststream.security import SASLScram512

from shared.kafka import broker_security, client_options
from shared.settings import Settings


def test_plaintext_by_default() -> None:
    settings = Settings()
    assert broker_security(settings) is None
    assert client_options(settings) == {"security_protocol": "PLAINTEXT"}


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
    options = client_options(settings)
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_password"] == "s3cret"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert "s3cret" not in repr(settings)
