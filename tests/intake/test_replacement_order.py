"""Replacements take their place in the order a posting's events were produced: one produced
before the withdrawal (or expiry) that closed the posting changes its content and leaves it
closed; one produced after it is refused; one produced before the version applied last is
superseded. Through ``IntakeService.handle`` with crafted record times."""

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import NeedRow, OfferRow
from shared import topics
from tests.builders import in_days, need_event, offer_event
from tests.intake.records import (
    T0,
    record,
    refusals,
    registered,
    service,
    stored,
    withdrawal,
)

REPLACEMENT = {"grades": ["G2"], "pupils": 16}


async def test_a_replacement_produced_before_the_withdrawal_changes_the_closed_offer(
    db: async_sessionmaker[AsyncSession],
) -> None:
    offer = offer_event()
    changed = offer_event(offer_id=offer["offer_id"], title="Nieuwe titel van het aanbod")
    intake = service(db)
    await intake.handle([record(topics.OFFERS_SUBMITTED, offer, T0)])
    await intake.handle([record(topics.OFFERS_WITHDRAWN, withdrawal(offer), T0 + 11_000)])
    await intake.handle([record(topics.OFFERS_SUBMITTED, changed, T0 + 1_000)])

    assert await stored(db, OfferRow, offer["offer_id"]) == (3, "withdrawn")
    assert (await registered(db, OfferRow, offer["offer_id"]))["title"] == changed["title"]
    assert await refusals(db, changed["event_id"]) == []


async def test_a_replacement_produced_after_the_withdrawal_is_still_refused(
    db: async_sessionmaker[AsyncSession],
) -> None:
    offer = offer_event()
    late = offer_event(offer_id=offer["offer_id"], title="Te laat")
    intake = service(db)
    await intake.handle([record(topics.OFFERS_SUBMITTED, offer, T0)])
    await intake.handle([record(topics.OFFERS_WITHDRAWN, withdrawal(offer), T0 + 1_000)])
    await intake.handle([record(topics.OFFERS_SUBMITTED, late, T0 + 2_000)])

    assert await stored(db, OfferRow, offer["offer_id"]) == (2, "withdrawn")
    [message] = await refusals(db, late["event_id"])
    assert message.endswith("is withdrawn; post it under a new id instead")


async def test_a_replacement_produced_before_the_one_applied_last_is_superseded(
    db: async_sessionmaker[AsyncSession],
) -> None:
    need = need_event()
    older = need_event(need_id=need["need_id"], title="Oudere versie")
    newer = need_event(need_id=need["need_id"], title="Nieuwere versie")
    intake = service(db)
    await intake.handle([record(topics.NEEDS_SUBMITTED, newer, T0 + 2_000)])
    await intake.handle([record(topics.NEEDS_SUBMITTED, need, T0)])
    await intake.handle([record(topics.NEEDS_SUBMITTED, older, T0 + 1_000)])

    assert await stored(db, NeedRow, need["need_id"]) == (1, "open")
    assert (await registered(db, NeedRow, need["need_id"]))["title"] == "Nieuwere versie"
    for event in (need, older):
        [message] = await refusals(db, event["event_id"])
        assert "holds a version produced later" in message
        assert "new id" not in message


async def test_an_internship_replaced_before_its_withdrawal_keeps_both_needs_closed(
    db: async_sessionmaker[AsyncSession],
) -> None:
    need = need_event(replacement=REPLACEMENT)
    changed = need_event(need_id=need["need_id"], title="Stage elders", replacement=REPLACEMENT)
    intake = service(db)
    await intake.handle([record(topics.NEEDS_SUBMITTED, need, T0)])
    await intake.handle([record(topics.NEEDS_WITHDRAWN, withdrawal(need), T0 + 2_000)])
    await intake.handle([record(topics.NEEDS_SUBMITTED, changed, T0 + 1_000)])

    replacement_id = need["need_id"] + ":vervanging"
    assert await stored(db, NeedRow, need["need_id"]) == (3, "withdrawn")
    assert await stored(db, NeedRow, replacement_id) == (3, "withdrawn")
    assert "Stage elders" in (await registered(db, NeedRow, replacement_id))["title"]
    assert await refusals(db, changed["event_id"]) == []


async def test_a_replacement_need_withdrawn_after_the_internship_changed_stays_withdrawn(
    db: async_sessionmaker[AsyncSession],
) -> None:
    need = need_event(replacement=REPLACEMENT)
    replacement = {"need_id": need["need_id"] + ":vervanging"}
    changed = need_event(need_id=need["need_id"], title="Stage elders", replacement=REPLACEMENT)
    reopening = need_event(need_id=need["need_id"], title="Stage weer", replacement=REPLACEMENT)
    intake = service(db)
    await intake.handle([record(topics.NEEDS_SUBMITTED, need, T0)])
    await intake.handle([record(topics.NEEDS_WITHDRAWN, withdrawal(replacement), T0 + 2_000)])
    await intake.handle([record(topics.NEEDS_SUBMITTED, changed, T0 + 1_000)])
    assert await stored(db, NeedRow, need["need_id"]) == (2, "open")
    assert await stored(db, NeedRow, replacement["need_id"]) == (3, "withdrawn")

    await intake.handle([record(topics.NEEDS_SUBMITTED, reopening, T0 + 3_000)])
    assert await stored(db, NeedRow, replacement["need_id"]) == (4, "open")


async def test_a_replacement_produced_before_the_expiry_changes_the_expired_offer(
    db: async_sessionmaker[AsyncSession],
) -> None:
    offer = offer_event()
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    changed = offer_event(offer_id=offer["offer_id"], title="Nog voor het verlopen")
    late = offer_event(offer_id=offer["offer_id"], title="Na het verlopen")
    intake = service(db)
    await intake.handle([record(topics.OFFERS_SUBMITTED, offer, now_ms - 5_000)])
    async with db.begin() as session:
        ended = update(OfferRow).where(OfferRow.offer_id == offer["offer_id"])
        await session.execute(ended.values(period_end=in_days(-1)))
    await intake.expire()
    await intake.handle([record(topics.OFFERS_SUBMITTED, changed, now_ms - 1_000)])
    await intake.handle([record(topics.OFFERS_SUBMITTED, late, now_ms + 60_000)])

    assert await stored(db, OfferRow, offer["offer_id"]) == (3, "expired")
    assert (await registered(db, OfferRow, offer["offer_id"]))["title"] == changed["title"]
    assert await refusals(db, changed["event_id"]) == []
    [message] = await refusals(db, late["event_id"])
    assert message.endswith("is expired; post it under a new id instead")
