"""Arbitrary interleavings of postings, replacements and withdrawals from several organisations
(colliding ids, ids with the reserved suffix, record times out of order, any batching) through
``IntakeService.handle`` on the real database: no organisation ever owns or changes another's
posting, every record ends registered or rejected exactly once, and a replay changes nothing."""

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.inbound import Record
from services.intake.service import TOMBSTONE_RETENTION
from services.intake.tables import NeedRow, OfferRow, RejectionRow, TombstoneRow
from shared import topics
from shared.contracts import CLOSED_STATUSES
from tests.builders import need_event, offer_event
from tests.intake.records import Queued, queued_by_intake, service, stored_under
from tests.kafka_io import as_json

Sessions = async_sessionmaker[AsyncSession]
SCHOOLS = ("081001", "081002", "081003")
PROVIDERS = ("0403.170.701", "0202.239.951")
REGISTERED = (topics.NEEDS_REGISTERED, topics.OFFERS_REGISTERED)
_offsets = itertools.count(5_000_000)


@dataclass(frozen=True, slots=True)
class Step:
    """One record to send: a submission or withdrawal of ``posting`` by ``organisation``."""

    topic: str
    posting: str  # the id without the run's prefix
    organisation: str | None
    second: int  # record time, in seconds after the run's start
    replacement: bool = False


NEED_IDS = st.sampled_from(["a", "b", "a:vervanging"])
STEPS = st.one_of(
    st.builds(
        Step,
        st.just(topics.NEEDS_SUBMITTED),
        NEED_IDS,
        st.sampled_from(SCHOOLS),
        st.integers(0, 9),
        st.booleans(),
    ),
    st.builds(
        Step,
        st.just(topics.NEEDS_WITHDRAWN),
        NEED_IDS,
        st.sampled_from(SCHOOLS) | st.none(),
        st.integers(0, 9),
    ),
    st.builds(
        Step,
        st.sampled_from([topics.OFFERS_SUBMITTED, topics.OFFERS_WITHDRAWN]),
        st.sampled_from(["a", "b"]),
        st.sampled_from(PROVIDERS),
        st.integers(0, 9),
    ),
)


def event_of(step: Step, posting_id: str) -> dict[str, Any]:
    """The event a step sends."""
    if step.topic == topics.NEEDS_SUBMITTED:
        block = {"replacement": {"grades": ["G2"], "pupils": 12}} if step.replacement else {}
        school = {"institution_number": step.organisation, "name": "S", "postal_code": "3500"}
        return need_event(need_id=posting_id, school=school, **block)
    if step.topic == topics.OFFERS_SUBMITTED:
        provider = {**offer_event()["provider"], "enterprise_number": step.organisation}
        return offer_event(offer_id=posting_id, provider=provider)
    id_field = "need_id" if step.topic == topics.NEEDS_WITHDRAWN else "offer_id"
    event = {"event_id": str(uuid.uuid4()), id_field: posting_id}
    return event | ({"organisation_number": step.organisation} if step.organisation else {})


def owner_of(registered: dict[str, Any]) -> str:
    """The organisation number a registered posting names."""
    owner = registered.get("school") or registered["provider"]
    return str(owner.get("institution_number") or owner["enterprise_number"])


async def rejections_by_event(db: Sessions, event_ids: list[str]) -> dict[str, int]:
    async with db() as session:
        rows = await session.execute(
            select(RejectionRow.source_event_id, func.count())
            .where(RejectionRow.source_event_id.in_(event_ids))
            .group_by(RejectionRow.source_event_id)
        )
        return {event_id: count for event_id, count in rows.tuples()}


async def stored_postings(db: Sessions, prefix: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(side, id) -> the stored row's registered event (with status) of this run."""
    async with db() as session:
        needs = await session.scalars(select(NeedRow).where(NeedRow.need_id.like(f"{prefix}%")))
        found = {("need", n.need_id): n.registered for n in needs}
        offers = await session.scalars(select(OfferRow).where(OfferRow.offer_id.like(f"{prefix}%")))
        return found | {("offer", o.offer_id): o.registered for o in offers}


def published_owners(queued: Queued, prefix: str) -> dict[tuple[str, str], set[str]]:
    """(topic, key) -> the owners every registered version of a posting of this run named."""
    owners: dict[tuple[str, str], set[str]] = {}
    for topic, key, event in queued:
        if topic in REGISTERED and key.startswith(prefix):
            owners.setdefault((topic, key), set()).add(owner_of(event.model_dump(mode="json")))
    return owners


async def settle_waiting_withdrawals(db: Sessions, prefix: str) -> None:
    """Age this run's waiting withdrawals past the retention and run the expiry round."""
    async with db.begin() as session:
        aged = datetime.now(UTC) - TOMBSTONE_RETENTION - timedelta(minutes=1)
        await session.execute(
            update(TombstoneRow)
            .where(TombstoneRow.posting_id.like(f"{prefix}%"))
            .values(created_at=aged)
        )
    await service(db).expire()


async def snapshot(db: Sessions, prefix: str, event_ids: list[str]) -> tuple[Any, ...]:
    return await rejections_by_event(db, event_ids), await stored_postings(db, prefix)


def check_record(
    step: Step, side: str, posting: str, stored: dict[Any, Any], rejected: int
) -> None:
    """A record ends registered (its posting shows it) or rejected exactly once."""
    assert rejected in (0, 1), f"{step} rejected {rejected} times"
    if step.topic == topics.NEEDS_SUBMITTED and step.posting.endswith(":vervanging"):
        assert rejected == 1, f"{step}: a reserved id was accepted"
    if rejected:
        return
    registered = stored.get((side, posting))
    assert registered is not None, f"{step} neither registered nor rejected"
    if step.organisation is not None:
        assert owner_of(registered) == step.organisation, f"{step} changed another's posting"
    if step.topic in (topics.NEEDS_WITHDRAWN, topics.OFFERS_WITHDRAWN):
        assert registered["status"] in CLOSED_STATUSES, f"{step} did not close its posting"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(STEPS, min_size=1, max_size=12),
    batch=st.integers(1, 4),
    legacy=st.sampled_from((None, *SCHOOLS)),
)
async def test_no_organisation_reaches_anothers_posting_and_every_record_ends_once(
    db: Sessions, steps: list[Step], batch: int, legacy: str | None
) -> None:
    """``legacy``: the school of a need stored as ``a:vervanging`` before that was reserved."""
    prefix = f"prop-{uuid.uuid4().hex[:8]}-"
    if legacy is not None:
        await stored_under(db, f"{prefix}a:vervanging", legacy)
    start_ms = int(datetime.now(UTC).timestamp() * 1000) - 60_000
    events = [event_of(step, prefix + step.posting) for step in steps]
    records = [
        Record(
            step.topic,
            0,
            next(_offsets),
            prefix + step.posting,
            as_json(event),
            start_ms + step.second * 1000,
        )
        for step, event in zip(steps, events, strict=True)
    ]
    batches = [records[i : i + batch] for i in range(0, len(records), batch)]
    with queued_by_intake() as queued:
        for records_of_batch in batches:
            await service(db).handle(records_of_batch)
        await settle_waiting_withdrawals(db, prefix)
    event_ids = [event["event_id"] for event in events]
    before = await snapshot(db, prefix, event_ids)

    owners = published_owners(queued, prefix)
    assert all(len(named) == 1 for named in owners.values()), owners
    rejected, stored = before
    if legacy is not None:
        assert owner_of(stored[("need", f"{prefix}a:vervanging")]) == legacy
    for (_, posting_id), registered in stored.items():
        if posting_id.endswith(":vervanging") and registered["linked_need_id"] is not None:
            internship = stored[("need", registered["linked_need_id"])]
            assert posting_id == f"{internship['need_id']}:vervanging"
            assert owner_of(registered) == owner_of(internship)
    for step, event in zip(steps, events, strict=True):
        side = "need" if step.topic.startswith("needs") else "offer"
        check_record(step, side, prefix + step.posting, stored, rejected.get(event["event_id"], 0))

    with queued_by_intake() as replayed:  # a replay changes nothing
        for records_of_batch in batches:
            await service(db).handle(records_of_batch)
    assert [event for event in replayed if event[1].startswith(prefix)] == []
    assert await snapshot(db, prefix, event_ids) == before
