"""Intake's queries (``services.intake.queries``) on the real database: another organisation's
posting answers as if it did not exist, the admin (no owner) sees every one, a need id is no
offer, and a withdrawn posting is closed."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.queries import posting_changes, stored_postings
from services.intake.tables import NeedRow
from tests.builders import in_days
from tests.notifier import events

Sessions = async_sessionmaker[AsyncSession]


async def _stored_needs(db: Sessions, statuses: tuple[str, ...]) -> list[NeedRow]:
    """One need per status, each of its own new school."""
    rows = []
    for status in statuses:
        need = events.need("3500")
        rows.append(
            NeedRow(
                need_id=need.need_id, institution_number=need.school.institution_number,
                version=1, status=status, kind=need.kind, field=need.field,
                rtc_region=need.place.rtc_region, period_start=in_days(30),
                period_end=in_days(30) + timedelta(days=30),
                registered=need.model_dump(mode="json"),
            )
        )  # fmt: skip
    async with db.begin() as session:
        session.add_all(rows)
    return rows


async def test_an_owner_sees_its_own_postings_only_and_the_admin_every_one(db: Sessions) -> None:
    mine, theirs = await _stored_needs(db, ("open", "withdrawn"))
    ids = [mine.need_id, theirs.need_id]
    async with db() as session:
        own = await stored_postings(session, "need", ids, mine.institution_number)
        every = await stored_postings(session, "need", ids, None)
        as_offers = await stored_postings(session, "offer", ids, None)
    assert list(own) == [mine.need_id]
    assert own[mine.need_id].owner_number == mine.institution_number
    assert own[mine.need_id].registered["need_id"] == mine.need_id
    assert sorted(every) == sorted(ids)
    assert as_offers == {}


async def test_a_withdrawn_posting_is_closed_an_open_one_is_not(db: Sessions) -> None:
    opened, withdrawn = await _stored_needs(db, ("open", "withdrawn"))
    async with db() as session:
        found = await stored_postings(session, "need", [opened.need_id, withdrawn.need_id], None)
    assert (found[opened.need_id].closed, found[withdrawn.need_id].closed) == (False, True)


async def test_the_changes_of_an_owner_name_only_its_postings(db: Sessions) -> None:
    mine, theirs = await _stored_needs(db, ("open", "open"))
    async with db() as session:
        changes = posting_changes("need", every_owner=False).subquery()
        owner = {"owner": mine.institution_number}
        named = set(await session.scalars(select(changes.c.posting_id), owner))
    assert mine.need_id in named and theirs.need_id not in named
