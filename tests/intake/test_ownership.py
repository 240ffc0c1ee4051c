"""A posting id belongs to the organisation that first used it, with the id intake derives from
it (an internship's replacement need ``<id>:vervanging``); a rejected record is rejected once
however often it comes; names are the registered ones. Through ``IntakeService.handle``."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import NeedRow, OfferRow
from shared import topics
from shared.accounts import OrganisationRow
from tests.builders import need_event, offer_event
from tests.intake.records import (
    T0,
    queued_by_intake,
    record,
    refusals,
    registered,
    rejection_count,
    service,
    stored,
    stored_under,
    withdrawal,
)

SCHOOL_A, SCHOOL_B = "048561", "031245"
REPLACEMENT = {"grades": ["G2"], "pupils": 16}


def need_of(school: str, **overrides: object) -> dict[str, object]:
    base = need_event()
    return need_event(school={**base["school"], "institution_number": school}, **overrides)


async def test_a_submitted_need_id_with_the_replacement_suffix_is_refused(
    db: async_sessionmaker[AsyncSession],
) -> None:
    claimed = need_of(SCHOOL_B, need_id=f"n-{uuid.uuid4().hex[:8]}:vervanging")
    await service(db).handle([record(topics.NEEDS_SUBMITTED, claimed, T0)])

    [message] = await refusals(db, claimed["event_id"])
    assert "may not end in ':vervanging'" in message
    assert await stored(db, NeedRow, claimed["need_id"]) is None


async def test_an_internship_never_takes_over_a_need_stored_under_its_replacement_id(
    db: async_sessionmaker[AsyncSession],
) -> None:
    internship = need_of(SCHOOL_A, replacement=REPLACEMENT)
    foreign_id = f"{internship['need_id']}:vervanging"
    await stored_under(db, foreign_id, SCHOOL_B)
    before = await registered(db, NeedRow, foreign_id)

    await service(db).handle([record(topics.NEEDS_SUBMITTED, internship, T0 + 1)])

    [message] = await refusals(db, internship["event_id"])
    assert message.endswith("is already taken; post the internship under another id")
    assert await stored(db, NeedRow, internship["need_id"]) is None
    assert await registered(db, NeedRow, foreign_id) == before


async def test_an_internship_without_replacement_leaves_the_other_need_alone_to_the_end(
    db: async_sessionmaker[AsyncSession],
) -> None:
    internship = need_of(SCHOOL_A)
    foreign_id = f"{internship['need_id']}:vervanging"
    await stored_under(db, foreign_id, SCHOOL_B)
    before = await registered(db, NeedRow, foreign_id)
    with_block = need_of(SCHOOL_A, need_id=internship["need_id"], replacement=REPLACEMENT)
    withdrawn = withdrawal(internship, organisation_number=SCHOOL_A)

    intake = service(db)
    await intake.handle([record(topics.NEEDS_SUBMITTED, internship, T0 + 1)])
    await intake.handle([record(topics.NEEDS_SUBMITTED, with_block, T0 + 2)])
    await intake.handle([record(topics.NEEDS_WITHDRAWN, withdrawn, T0 + 3)])

    assert await stored(db, NeedRow, internship["need_id"]) == (2, "withdrawn")
    assert len(await refusals(db, with_block["event_id"])) == 1
    assert await registered(db, NeedRow, foreign_id) == before


async def test_a_replayed_record_that_reused_an_event_id_is_rejected_only_once(
    db: async_sessionmaker[AsyncSession],
) -> None:
    first = offer_event()
    reuse = offer_event(event_id=first["event_id"])
    intake = service(db)
    with queued_by_intake() as queued:
        await intake.handle([record(topics.OFFERS_SUBMITTED, first, T0)])
        for _ in range(3):
            await intake.handle([record(topics.OFFERS_SUBMITTED, reuse, T0 + 1)])
        await intake.handle([record(topics.OFFERS_SUBMITTED, reuse, T0 + 1)] * 2)

    assert await rejection_count(db, first["event_id"]) == 1
    assert await stored(db, OfferRow, reuse["offer_id"]) is None
    refusals = [key for topic, key, _ in queued if topic == topics.POSTINGS_REJECTED]
    assert refusals.count(reuse["offer_id"]) == 1


async def test_names_of_registered_organisations_are_the_registered_ones(
    db: async_sessionmaker[AsyncSession],
) -> None:
    school, provider = "071717", "0202.239.951"
    async with db.begin() as session:
        for kind, number in (("school", school), ("provider", provider)):
            found = await session.scalar(
                select(OrganisationRow).where(
                    OrganisationRow.kind == kind, OrganisationRow.number == number
                )
            )
            if found is None:
                session.add(OrganisationRow(kind=kind, number=number, name=f"Echte {number}"))
            else:
                found.name = f"Echte {number}"
    need = need_of(school)
    need["school"]["name"] = "Nep school"  # type: ignore[index]
    offer = offer_event()
    offer["provider"] = {**offer["provider"], "enterprise_number": provider, "name": "Nep bv"}
    unregistered = need_of("000001")  # no organisation is registered under this number
    await service(db).handle(
        [
            record(topics.NEEDS_SUBMITTED, need, T0),
            record(topics.OFFERS_SUBMITTED, offer, T0),
            record(topics.NEEDS_SUBMITTED, unregistered, T0),
        ]
    )
    assert (await registered(db, NeedRow, need["need_id"]))["school"]["name"] == f"Echte {school}"
    stored_offer = await registered(db, OfferRow, offer["offer_id"])
    assert stored_offer["provider"]["name"] == f"Echte {provider}"
    stored_need = await registered(db, NeedRow, unregistered["need_id"])
    assert stored_need["school"]["name"] == unregistered["school"]["name"]  # type: ignore[index]
