"""The FastStream Kafka broker every service uses."""

import logging
from dataclasses import replace
from typing import Any, Literal, TypedDict

from aiokafka import ConsumerRecord
from aiokafka.helpers import create_ssl_context
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.message import StreamMessage
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from shared.metrics import REGISTRY
from shared.settings import Settings

# The broker accepts events up to this size (deploy/kafka.sh message.max.bytes) so that intake can
# reject oversized ones with a reason; consumers must be able to fetch them or a partition stalls.
BROKER_MAX_MESSAGE_BYTES = 8 * 1024 * 1024


def make_broker(settings: Settings) -> KafkaBroker:
    """The one way a service gets its broker: its producer waits for all replicas, never
    duplicates on retry and takes the largest event the brokers accept (the outbox relay publishes
    through it), and FastStream's Prometheus middleware counts what it consumes and publishes."""
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=BROKER_MAX_MESSAGE_BYTES,
        # No linger: a relay round appends all its sends before the producer's sender runs, so
        # they still go out together, and a lone event does not wait (5 ms cost each hop that).
        linger_ms=0,
        client_id="schakel",
        middlewares=[KafkaPrometheusMiddleware(registry=REGISTRY, app_name="schakel")],
        security=broker_security(settings),
        logger=logging.getLogger("schakel.kafka"),  # through shared.logs, not FastStream's own
    )


SASL = {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512}


def broker_security(settings: Settings) -> BaseSecurity | None:
    """FastStream's security object for the configured protocol (None: plaintext)."""
    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    use_ssl = protocol.endswith("SSL")
    ssl_context = create_ssl_context(cafile=settings.kafka_ssl_cafile) if use_ssl else None
    if protocol == "SSL":
        return BaseSecurity(ssl_context=ssl_context, use_ssl=True)
    password = settings.kafka_sasl_password
    return SASL[settings.kafka_sasl_mechanism](
        username=settings.kafka_sasl_username or "",
        password=password.get_secret_value() if password else "",
        ssl_context=ssl_context,
        use_ssl=use_ssl,
    )


class DurableOptions(TypedDict):
    """Subscriber keyword arguments returned by :func:`durable`."""

    group_id: str
    ack_policy: AckPolicy
    auto_offset_reset: Literal["earliest"]
    max_partition_fetch_bytes: int
    batch_timeout_ms: int


# How long a batch subscriber's poll waits for records. After an empty poll FastStream sleeps
# as long again before the next, so this bounds the delay an idle consumer adds to a new event
# (its default, 200 ms, would add up to 200 ms at each service on the way).
BATCH_WAIT_MS = 10


def durable(group_id: str) -> DurableOptions:
    """Batch subscriber options for work that must not be lost (at-least-once).

    Offsets are committed only after the handler succeeded; on an unexpected error the batch is
    sought back and redelivered (FastStream's default ACK_FIRST would lose it). A new consumer
    group starts from the earliest offset so nothing produced before it joined is skipped, and
    the largest event the broker accepts can be fetched. An idle poll waits ``BATCH_WAIT_MS``.
    """
    return {
        "group_id": group_id,
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "auto_offset_reset": "earliest",
        "max_partition_fetch_bytes": BROKER_MAX_MESSAGE_BYTES + 64 * 1024,
        "batch_timeout_ms": BATCH_WAIT_MS,
    }


def batch_records(message: StreamMessage[Any]) -> tuple[ConsumerRecord[Any, Any], ...]:
    """The records of a batch message, each with its topic, partition, offset, key and value
    (for custom decoders).

    A real consumer hands FastStream the tuple aiokafka's ``getmany`` returned: it comes back as
    it is. FastStream's in-memory ``TestKafkaBroker`` hands a batch subscriber a list of the
    records it built instead, and gives a record published without a key the key ``b""``: those
    become a tuple, with no key, as a real consumer would have delivered them.
    """
    raw = message.raw_message
    if isinstance(raw, tuple):
        return raw
    if isinstance(raw, list):
        return tuple(replace(record, key=record.key or None) for record in raw)
    return ()
