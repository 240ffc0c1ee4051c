"""A ``matches.decided`` from another system is taken only as a user who may decide in the
need's region (a coordinator of that region, or the admin); any other ``decided_by`` is refused
on postings.rejected and the suggestion stays open."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import topics
from shared.accounts import OrganisationRow, UserRow
from shared.contracts import MatchSuggested
from shared.runtime import ServiceRuntime
from tests.kafka_io import TopicTail
from tests.notifier import events, probes
from tests.notifier.builders import unique
from tests.notifier.conftest import Publish, add_coordinator, eventually

Sessions = async_sessionmaker[AsyncSession]


async def _open_suggestions(
    publish: Publish, sessions: Sessions, count: int
) -> list[MatchSuggested]:
    """``count`` suggestions of needs in Limburg (Hasselt), stored open."""
    offer = events.offer(capacity=count)
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    matches = []
    for _ in range(count):
        need = events.need("3500")
        matches.append(events.suggested(need, offer))
        await publish(topics.NEEDS_REGISTERED, need.need_id, need)
        await publish(topics.MATCHES_SUGGESTED, matches[-1].match_id, matches[-1])

    async def all_open() -> bool:
        rows = [await probes.suggestion(sessions, m.match_id) for m in matches]
        return all(row is not None and row.status == "open" for row in rows)

    await eventually(all_open, give_up_after=300)
    return matches


async def _school_user(sessions: Sessions) -> str:
    async with sessions.begin() as session:
        school = OrganisationRow(kind="school", number=events.institution_number(), name="VTI")
        session.add(school)
        await session.flush()
        email = f"{unique('school')}@school.example"
        session.add(
            UserRow(email=email, name="Leraar", password_hash="!", role="school",
                    organisation_id=school.id)
        )  # fmt: skip
    return email


async def _disabled_coordinator(sessions: Sessions, region: str) -> str:
    coordinator = await add_coordinator(sessions, region)
    async with sessions.begin() as session:
        await session.execute(
            update(UserRow).where(UserRow.id == coordinator.id).values(disabled=True)
        )
    return coordinator.email


async def test_only_a_coordinator_of_the_needs_region_or_the_admin_decides_from_outside(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    sessions = notifier.sessions
    hostile = {
        (await add_coordinator(sessions, "Antwerpen")).email: "unknown_match",
        await _school_user(sessions): "not_a_reviewer",
        await _disabled_coordinator(sessions, "Limburg"): "not_a_reviewer",
        f"{unique('nobody')}@rtc.example": "not_a_reviewer",
        f"{events.DECIDING_ADMIN}.evil.example": "not_a_reviewer",  # the admin's, extended
    }
    limburg = (await add_coordinator(sessions, "Limburg")).email
    *refused, by_coordinator, by_admin = await _open_suggestions(
        publish, sessions, len(hostile) + 2
    )

    async with TopicTail(topics.POSTINGS_REJECTED) as tail:
        for match, decided_by in zip(refused, hostile, strict=True):
            decision = events.decided(match, decided_by=decided_by)
            await publish(topics.MATCHES_DECIDED, match.match_id, decision)
        ids = {m.match_id for m in refused}
        mine = lambda received: [r for r in received if r.value["posting_id"] in ids]  # noqa: E731
        rejected = mine(await tail.collect(lambda r: len(mine(r)) >= len(ids), seconds=120))
    codes = {r.value["posting_id"]: r.value["errors"][0]["message"] for r in rejected}
    for match, code in zip(refused, hostile.values(), strict=True):
        assert codes[match.match_id].startswith(f"{code}:")

    upper_case = limburg.upper()  # an address is the same whatever its case
    await publish(
        topics.MATCHES_DECIDED, by_coordinator.match_id,
        events.decided(by_coordinator, decided_by=upper_case),
    )  # fmt: skip
    await publish(topics.MATCHES_DECIDED, by_admin.match_id, events.decided(by_admin))
    for match in (by_coordinator, by_admin):
        await eventually(lambda m=match: _has_status(sessions, m.match_id, "accepted"))
    for match in refused:
        assert await _has_status(sessions, match.match_id, "open")


async def _has_status(sessions: Sessions, match_id: str, status: str) -> bool:
    row = await probes.suggestion(sessions, match_id)
    return row is not None and row.status == status
