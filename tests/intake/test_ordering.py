"""A withdrawal produced after its submission wins whatever order the two arrive in; one produced
before it is refused, as it would have been in order. Driven through ``IntakeService.handle``
with crafted records, so both arrival orders are exact."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.service import TOMBSTONE_RETENTION
from services.intake.tables import NeedRow, OfferRow, TombstoneRow
from shared import topics
from tests.builders import need_event, offer_event
from tests.intake.records import T0, record, refusals, service, stored, withdrawal


async def test_offer_withdrawn_after_submission_is_closed_in_both_arrival_orders(
    db: async_sessionmaker[AsyncSession],
) -> None:
    intake = service(db)
    in_order, reversed_ = offer_event(), offer_event()
    await intake.handle([record(topics.OFFERS_SUBMITTED, in_order, T0)])
    await intake.handle([record(topics.OFFERS_WITHDRAWN, withdrawal(in_order), T0 + 5)])
    await intake.handle([record(topics.OFFERS_WITHDRAWN, withdrawal(reversed_), T0 + 5)])
    await intake.handle([record(topics.OFFERS_SUBMITTED, reversed_, T0)])

    assert await stored(db, OfferRow, in_order["offer_id"]) == (2, "withdrawn")
    assert await stored(db, OfferRow, reversed_["offer_id"]) == (1, "withdrawn")
    async with db() as session:
        waiting = await session.scalars(
            select(TombstoneRow).where(TombstoneRow.posting_id == reversed_["offer_id"])
        )
        assert waiting.all() == []


async def test_withdrawal_first_in_the_same_batch_and_millisecond_still_wins(
    db: async_sessionmaker[AsyncSession],
) -> None:
    offer = offer_event()
    await service(db).handle(
        [
            record(topics.OFFERS_WITHDRAWN, withdrawal(offer), T0),
            record(topics.OFFERS_SUBMITTED, offer, T0),
        ]
    )
    assert await stored(db, OfferRow, offer["offer_id"]) == (1, "withdrawn")


async def test_need_withdrawn_before_its_submission_arrives_closes_its_replacement_need_too(
    db: async_sessionmaker[AsyncSession],
) -> None:
    need = need_event(replacement={"grades": ["G3"], "pupils": 16})
    await service(db).handle(
        [
            record(topics.NEEDS_WITHDRAWN, withdrawal(need, organisation_number="048561"), T0),
            record(topics.NEEDS_SUBMITTED, need, T0),
        ]
    )
    assert await stored(db, NeedRow, need["need_id"]) == (1, "withdrawn")
    assert await stored(db, NeedRow, need["need_id"] + ":vervanging") == (1, "withdrawn")


async def test_withdrawal_produced_before_the_submission_is_refused_in_both_arrival_orders(
    db: async_sessionmaker[AsyncSession],
) -> None:
    intake = service(db)
    first, second = offer_event(), need_event()
    early_offer, early_need = withdrawal(first), withdrawal(second)
    await intake.handle([record(topics.OFFERS_WITHDRAWN, early_offer, T0)])
    await intake.handle([record(topics.OFFERS_SUBMITTED, first, T0 + 1)])
    await intake.handle([record(topics.NEEDS_SUBMITTED, second, T0 + 1)])
    await intake.handle([record(topics.NEEDS_WITHDRAWN, early_need, T0)])

    assert await stored(db, OfferRow, first["offer_id"]) == (1, "open")
    assert await stored(db, NeedRow, second["need_id"]) == (1, "open")
    for event in (early_offer, early_need):
        [message] = await refusals(db, event["event_id"])
        assert message.endswith(
            "was not known when this withdrawal was produced; it was submitted later"
        )


async def test_waiting_withdrawals_of_another_organisation_or_repeated_are_refused(
    db: async_sessionmaker[AsyncSession],
) -> None:
    need = need_event()
    foreign = withdrawal(need, organisation_number="111111")
    own, again = withdrawal(need), withdrawal(need)
    await service(db).handle(
        [
            record(topics.NEEDS_WITHDRAWN, foreign, T0 + 1),
            record(topics.NEEDS_WITHDRAWN, own, T0 + 2),
            record(topics.NEEDS_WITHDRAWN, again, T0 + 3),
        ]
    )
    await service(db).handle([record(topics.NEEDS_SUBMITTED, need, T0)])

    assert await stored(db, NeedRow, need["need_id"]) == (1, "withdrawn")
    assert "only its owner may withdraw it" in (await refusals(db, foreign["event_id"]))[0]
    assert await refusals(db, own["event_id"]) == []
    assert (await refusals(db, again["event_id"]))[0].endswith("is already withdrawn")


async def test_a_posting_registered_then_withdrawn_still_cannot_be_replaced(
    db: async_sessionmaker[AsyncSession],
) -> None:
    offer = offer_event()
    resubmitted = offer_event(offer_id=offer["offer_id"])
    await service(db).handle(
        [
            record(topics.OFFERS_WITHDRAWN, withdrawal(offer), T0 + 1),
            record(topics.OFFERS_SUBMITTED, offer, T0),
            record(topics.OFFERS_SUBMITTED, resubmitted, T0 + 2),
        ]
    )
    assert await stored(db, OfferRow, offer["offer_id"]) == (1, "withdrawn")
    [message] = await refusals(db, resubmitted["event_id"])
    assert message.endswith("is withdrawn; post it under a new id instead")


async def test_a_withdrawal_whose_posting_never_arrives_is_rejected_after_the_retention(
    db: async_sessionmaker[AsyncSession],
) -> None:
    offer = offer_event()
    lost = withdrawal(offer)
    await service(db).handle([record(topics.OFFERS_WITHDRAWN, lost, T0)])
    await service(db).expire()
    assert await refusals(db, lost["event_id"]) == []

    async with db() as session, session.begin():
        await session.execute(
            update(TombstoneRow)
            .where(TombstoneRow.event_id == lost["event_id"])
            .values(created_at=datetime.now(UTC) - TOMBSTONE_RETENTION - timedelta(minutes=1))
        )
    await service(db).expire()
    [message] = await refusals(db, lost["event_id"])
    assert message == f"offer {offer['offer_id']} is not known; it was never submitted"
    async with db() as session:
        assert await session.get(TombstoneRow, lost["event_id"]) is None
