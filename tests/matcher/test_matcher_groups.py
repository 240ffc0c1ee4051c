"""Batches and kind groups on the real database: a batch ends as its events one by one would,
instances work on different kind groups at once, and a posting whose kind changes group leaves
its old group everywhere."""

import asyncio
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.batches import MatcherInput
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore
from services.matcher.tables import MatchSuggestion
from shared.contracts import NeedRegistered, OfferRegistered
from shared.taxonomy import kind_group
from tests.matcher.events import fresh_period, need_event, offer_event

Sessions = async_sessionmaker[AsyncSession]


def _world() -> list[MatcherInput]:
    """Three offers near Hasselt, two needs, a changed need, a withdrawn offer and a replayed
    event: what one Kafka batch may hold."""
    period = fresh_period()
    offers = [offer_event(period, code, "auto", title) for code, title in (
        ("3600", "EV-werkplaats Genk"), ("3500", "Garage Hasselt"), ("3800", "Carrosserie"),
    )]  # fmt: skip
    needs = [need_event(period), need_event(period, max_distance_km=15)]
    changed = needs[1].model_copy(
        update={"event_id": uuid.uuid4(), "version": 2, "max_distance_km": 60}
    )
    withdrawn = offers[0].model_copy(
        update={"event_id": uuid.uuid4(), "version": 2, "status": "withdrawn"}
    )
    return [*offers, *needs, changed, withdrawn, needs[0]]


async def _lists(db: Sessions, need_ids: list[str]) -> dict[tuple[str, str], tuple[str, int]]:
    async with db() as session:
        rows = await session.execute(
            select(
                MatchSuggestion.need_id,
                MatchSuggestion.offer_id,
                MatchSuggestion.status,
                MatchSuggestion.rank,
            ).where(MatchSuggestion.need_id.in_(need_ids))
        )
        return {(need, offer): (status, rank) for need, offer, status, rank in rows.all()}


async def _live(db: Sessions, events: list[MatcherInput]) -> dict[tuple[int, int], int]:
    """The standing suggestions of the events' needs: (need, offer) by order of first
    appearance in ``events`` -> rank."""
    needs = list(dict.fromkeys(e.need_id for e in events if isinstance(e, NeedRegistered)))
    offers = list(dict.fromkeys(e.offer_id for e in events if isinstance(e, OfferRegistered)))
    return {
        (needs.index(need), offers.index(offer)): rank
        for (need, offer), (status, rank) in (await _lists(db, needs)).items()
        if status == "suggested"
    }


def _need_ids(events: list[MatcherInput]) -> list[str]:
    return sorted({event.need_id for event in events if isinstance(event, NeedRegistered)})


def _renamed(events: list[MatcherInput]) -> list[MatcherInput]:
    """The same world under fresh posting and event ids (a replayed event stays a replay) in a
    period of its own, so both runs can share the database."""
    suffix, period = uuid.uuid4().hex[:6], fresh_period()
    event_ids: dict[uuid.UUID, uuid.UUID] = {}
    renamed: list[MatcherInput] = []
    for event in events:
        fresh: dict[str, object] = {
            "event_id": event_ids.setdefault(event.event_id, uuid.uuid4()),
            "period": period,
        }
        if isinstance(event, NeedRegistered):
            fresh["need_id"] = f"{event.need_id}-{suffix}"
        elif isinstance(event, OfferRegistered):
            fresh["offer_id"] = f"{event.offer_id}-{suffix}"
        renamed.append(event.model_copy(update=fresh))
    return renamed


async def test_a_batch_ends_as_its_events_applied_one_by_one(db: Sessions) -> None:
    world = _world()
    one_by_one, batched = world, _renamed(world)
    service = MatcherService(db, MatcherSettings())

    for event in one_by_one:
        await service.handle([event])
    await service.handle(batched)
    await service.handle(batched)  # redelivered: nothing changes

    # The same pairs stand (a held pair's stored rank is not rewritten when one above it
    # leaves, so ranks may differ: the batch stored them once, after the withdrawal).
    assert (await _live(db, batched)).keys() == (await _live(db, one_by_one)).keys()
    assert len(await _live(db, batched)) == 4  # two offers left, for both needs
    # Nothing suggested and withdrawn again within the batch was ever published.
    assert {status for status, _ in (await _lists(db, _need_ids(batched))).values()} == {
        "suggested"
    }


async def test_instances_work_on_different_kind_groups_at_once(db: Sessions) -> None:
    period = fresh_period()
    internship = [offer_event(period, "3600", "auto", "Garage"), need_event(period)]
    guest = [event.model_copy(update={"kind": "guest_expert"}) for event in (
        offer_event(period, "3500", "auto", "Gastles EV"), need_event(period),
    )]  # fmt: skip
    first, second = MatcherService(db, MatcherSettings()), MatcherService(db, MatcherSettings())

    async with db() as session, session.begin():  # first is busy with the internships' group
        await MatcherStore(session).lock(kind_group("teacher_internship"))
        await asyncio.wait_for(second.handle(guest), timeout=60)  # another group: not held up
        blocked = asyncio.create_task(first.handle(internship))
        await asyncio.sleep(2)
        assert not blocked.done()  # the same group waits for the lock
    await asyncio.wait_for(blocked, timeout=60)

    lists = await _lists(db, _need_ids([*internship, *guest]))
    assert [status for status, _ in lists.values()] == ["suggested", "suggested"]


async def test_a_need_whose_kind_changes_group_leaves_its_old_group_in_every_instance(
    db: Sessions,
) -> None:
    period = fresh_period()
    need = need_event(period)
    internship, guest = (
        offer_event(period, "3600", "auto", "Garage"),
        offer_event(period, "3500", "auto", "Gastles EV").model_copy(
            update={"kind": "guest_expert"}
        ),
    )
    first, second = MatcherService(db, MatcherSettings()), MatcherService(db, MatcherSettings())
    await first.handle([internship, guest, need])
    await second.handle([offer_event(period, "3700", "auto", "Werkplaats")])  # knows the need

    moved = need.model_copy(update={"event_id": uuid.uuid4(), "version": 2, "kind": "guest_expert"})
    await first.handle([moved])
    late = offer_event(period, "3500", "auto", "Nieuwe garage")
    await second.handle([late])  # second must know the need left the internships

    lists = await _lists(db, [need.need_id])
    assert lists[need.need_id, internship.offer_id][0] == "withdrawn"
    assert lists[need.need_id, guest.offer_id][0] == "suggested"
    assert (need.need_id, late.offer_id) not in lists
