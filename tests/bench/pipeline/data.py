"""What the pipeline benchmark sends: generated needs and offers as submitted events, a mixed
stream with updates and withdrawals, and stored postings multiplied in SQL for a big preload.

Events come from ``tests.bench.generate`` (realistic kinds, fields, grades, places and school-year
periods, every date relative to today) put into the shape of ``tests.builders``.
"""

import random
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.matcher.service import GROUPS
from shared import topics
from tests.bench.generate import Generator
from tests.bench.postings import Record, need, provided_offer
from tests.bench.postings import needs as needs  # the pipeline's figures send them as data.*
from tests.bench.postings import offers as offers
from tests.kafka_io import as_json, produce

Routed = tuple[str, str, bytes, int]  # topic, key, value, partition


def mixed(count: int, prefix: str, seed: int = 3) -> list[Record]:
    """``count`` postings: 45 % new needs, 45 % new offers, 5 % updates of one of them (a new
    title) and 5 % withdrawals of one of them, each after the posting it changes."""
    chooser = random.Random(seed)
    generator = Generator(seed)
    records: list[Record] = []
    sent: list[tuple[str, dict[str, Any]]] = []
    for number in range(count):
        roll = chooser.random()
        if sent and roll < 0.05:
            side, event = chooser.choice(sent)
            changed = {
                **event,
                "event_id": str(uuid.uuid4()),
                "title": f"{event['title']} (bijgewerkt)",
            }
            records.append((_submitted(side), event[f"{side}_id"], as_json(changed)))
        elif sent and roll < 0.10:
            side, event = sent.pop(chooser.randrange(len(sent)))
            posting_id = event[f"{side}_id"]
            withdrawal = {"event_id": str(uuid.uuid4()), f"{side}_id": posting_id}
            topic = topics.NEEDS_WITHDRAWN if side == "need" else topics.OFFERS_WITHDRAWN
            records.append((topic, posting_id, as_json(withdrawal)))
        elif roll < 0.55:
            event = need(generator.needs(1, f"{prefix}-n{number}")[0])
            sent.append(("need", event))
            records.append((topics.NEEDS_SUBMITTED, event["need_id"], as_json(event)))
        else:
            event = provided_offer(generator.offers(1, f"{prefix}-o{number}")[0], number)
            sent.append(("offer", event))
            records.append((topics.OFFERS_SUBMITTED, event["offer_id"], as_json(event)))
    return records


def _submitted(side: str) -> str:
    return topics.NEEDS_SUBMITTED if side == "need" else topics.OFFERS_SUBMITTED


# Every stored copy of a posting: (table, id column, JSON column holding the id, row filter).
COPIES = {
    "offer": (
        ("offers", "offer_id", "registered", "TRUE"),
        ("matcher_postings", "posting_id", "payload", "side = 'offer'"),
        ("review_offers", "offer_id", None, "TRUE"),
    ),
    "need": (
        ("needs", "need_id", "registered", "TRUE"),
        ("matcher_postings", "posting_id", "payload", "side = 'need'"),
        ("review_needs", "need_id", None, "TRUE"),
    ),
}


async def multiply(connection: AsyncConnection, side: str, prefix: str, wanted: int) -> None:
    """Add ``wanted`` copies of the stored postings of ``side`` whose id starts with ``prefix``,
    in every service's table, under new ids (``<id>-<tag><n>``, the tag new on each call).

    The copies are postings the pipeline itself registered and stored, so the services read them
    as their own; only their ids are new. Columns a sequence fills (revisions) take fresh values,
    so a running matcher picks the copies up as new writes; generated ones (search vectors) are
    generated again."""
    tag = uuid.uuid4().hex[:4]
    for table, id_column, json_column, where in COPIES[side]:
        columns = (
            (
                await connection.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = :t"
                        " AND coalesce(column_default, '') NOT LIKE 'nextval%'"
                        " AND is_generated = 'NEVER'"
                        " ORDER BY ordinal_position"
                    ),
                    {"t": table},
                )
            )
            .scalars()
            .all()
        )
        new_id = f"{id_column} || '-{tag}' || k"
        values = [
            new_id if column == id_column
            else f"jsonb_set({column}, '{{{side}_id}}', to_jsonb({new_id}))"
            if column == json_column
            else column
            for column in columns
        ]  # fmt: skip
        templates = f"FROM {table} WHERE {where} AND {id_column} LIKE :prefix"
        like = f"{prefix}%"
        count = await connection.scalar(text(f"SELECT count(*) {templates}"), {"prefix": like})
        if not count:
            raise RuntimeError(f"no stored {side} in {table} to copy (ids {prefix}...)")
        await connection.execute(
            text(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (our constants)
                f"SELECT {', '.join(values)} FROM (SELECT *, row_number() OVER () AS n "
                f"{templates}) AS template CROSS JOIN generate_series(1, :copies) AS k "
                "WHERE (k - 1) * :count + n <= :wanted"
            ),
            {"prefix": like, "copies": -(-wanted // count), "count": count, "wanted": wanted},
        )
    # A running matcher takes over what its kind group's row says was written since it looked.
    for group in GROUPS:
        await connection.execute(
            text(
                "INSERT INTO matcher_groups (kind_group, revision) "
                "VALUES (:group, nextval('matcher_revision')) "
                "ON CONFLICT (kind_group) DO UPDATE SET revision = excluded.revision"
            ),
            {"group": group},
        )


async def registered_again(connection: AsyncConnection, count: int) -> list[Routed]:
    """``count`` postings intake registered (its last event of each, from its tables) as new
    postings: new ids and event ids, on their kind group's partition, as intake publishes them."""
    tag = uuid.uuid4().hex[:6]
    rows = (
        await connection.execute(
            text(
                "(SELECT 'need', registered FROM needs WHERE registered->>'status' = 'open' "
                "ORDER BY need_id LIMIT :half) UNION ALL "
                "(SELECT 'offer', registered FROM offers WHERE registered->>'status' = 'open' "
                "ORDER BY offer_id LIMIT :half)"
            ),
            {"half": count // 2},
        )
    ).all()
    routed: list[Routed] = []
    for side, registered in rows:
        posting_id = f"{registered[f'{side}_id']}-{tag}"
        event = {**registered, f"{side}_id": posting_id, "event_id": str(uuid.uuid4())}
        event.pop("linked_need_id", None)  # a copy stands alone
        topic = topics.NEEDS_REGISTERED if side == "need" else topics.OFFERS_REGISTERED
        routed.append((topic, posting_id, as_json(event), topics.kind_partition(event["kind"])))
    return routed


async def produce_routed(records: list[Routed]) -> None:
    """Send records to their topics and partitions, as the outbox relay does."""
    for topic in {topic for topic, _, _, _ in records}:
        mine = [record for record in records if record[0] == topic]
        events = [(key, value) for _, key, value, _ in mine]
        await produce(topic, events, partitions=[partition for *_, partition in mine])
