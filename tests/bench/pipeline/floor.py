"""The floor under the pipeline: what Kafka and PostgreSQL do with the same messages and rows
without any service in between, measured in the same run.

- Kafka: producing the records to a scratch topic as an external producer does
  (``tests.kafka_io.produce``), and reading them all back (messages/s).
- PostgreSQL: the offers as intake's ``offers`` rows, into a scratch table shaped like it, with
  asyncpg ``executemany`` and with ``COPY`` (rows/s).
"""

import asyncio
import json
import statistics
import time
from datetime import date
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared import topics
from shared.taxonomy import places
from tests.bench.postings import Record
from tests.kafka_io import produce
from tests.stack import KAFKA_BOOTSTRAP, database_url

FLOOR_TOPIC = "bench.floor"
PARTITIONS = 6
COLUMNS = (
    "offer_id", "enterprise_number", "version", "status", "kind", "field", "rtc_region",
    "period_start", "period_end", "registered",
)  # fmt: skip


def _rows(records: list[Record]) -> list[tuple[Any, ...]]:
    """Intake's row of each offer in ``records`` (an update replaces the row, as in intake)."""
    regions = {code: place.rtc_region for code, place in places().items()}
    rows = {}
    for topic, key, value in records:
        if topic != topics.OFFERS_SUBMITTED:
            continue
        event = json.loads(value)
        rows[key] = (
            key, event["provider"]["enterprise_number"], 1, "open", event["kind"],
            event["field"], regions[event["provider"]["postal_code"]],
            date.fromisoformat(event["period"]["start"]),
            date.fromisoformat(event["period"]["end"]), value.decode(),
        )  # fmt: skip
    return list(rows.values())


async def kafka_floor(records: list[Record]) -> tuple[float, float]:
    """Messages/s producing ``records`` to a fresh scratch topic, and reading them back."""
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP)
    await admin.start()
    try:
        if FLOOR_TOPIC in await admin.list_topics():
            await admin.delete_topics([FLOOR_TOPIC])
            await asyncio.sleep(1)  # let the deletion settle before the topic is made again
        await admin.create_topics([NewTopic(FLOOR_TOPIC, PARTITIONS, 1)])
    finally:
        await admin.close()
    started = time.perf_counter()
    await produce(FLOOR_TOPIC, [(key, value) for _, key, value in records])
    produced = len(records) / (time.perf_counter() - started)
    consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA_BOOTSTRAP, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(FLOOR_TOPIC, p) for p in range(PARTITIONS)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        started, read = time.perf_counter(), 0
        while read < len(records):
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            read += sum(len(batch) for batch in batches.values())
        consumed = len(records) / (time.perf_counter() - started)
    finally:
        await consumer.stop()
    return produced, consumed


async def postgres_floor(records: list[Record]) -> tuple[float, float]:
    """Rows/s inserting the offers with ``executemany``, and with ``COPY``."""
    rows = _rows(records)
    connection = await asyncpg.connect(database_url().replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(
            "DROP TABLE IF EXISTS bench_floor; "
            "CREATE TABLE bench_floor (LIKE offers INCLUDING DEFAULTS INCLUDING INDEXES)"
        )
        placeholders = ", ".join(f"${n}" for n in range(1, len(COLUMNS) + 1))
        started = time.perf_counter()
        await connection.executemany(
            f"INSERT INTO bench_floor ({', '.join(COLUMNS)}) VALUES ({placeholders})",  # noqa: S608
            rows,
        )
        inserted = len(rows) / (time.perf_counter() - started)
        await connection.execute("TRUNCATE bench_floor")
        started = time.perf_counter()
        await connection.copy_records_to_table("bench_floor", records=rows, columns=COLUMNS)
        copied = len(rows) / (time.perf_counter() - started)
        await connection.execute("DROP TABLE bench_floor")
    finally:
        await connection.close()
    return inserted, copied


async def floor(records: list[Record], runs: int) -> dict[str, Any]:
    """Medians over ``runs`` of each floor figure."""
    kafka = [await kafka_floor(records) for _ in range(runs)]
    postgres = [await postgres_floor(records) for _ in range(runs)]
    return {
        "messages": len(records),
        "kafka_produce_messages_per_s": round(statistics.median(k[0] for k in kafka), 1),
        "kafka_consume_messages_per_s": round(statistics.median(k[1] for k in kafka), 1),
        "rows": len(_rows(records)),
        "pg_executemany_rows_per_s": round(statistics.median(p[0] for p in postgres), 1),
        "pg_copy_rows_per_s": round(statistics.median(p[1] for p in postgres), 1),
        "runs": runs,
    }
