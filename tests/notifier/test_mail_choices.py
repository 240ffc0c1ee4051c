"""Each person's mail choices are kept when the notifier routes: a contact who chose the daily
overview finds an accepted match in it (with the match's page), one who chose no mail gets none
but the inbox entry, a coordinator who chose no mail for suggestions gets none."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier import periodic
from services.notifier.links import match_link
from services.notifier.schedule import digest_day
from shared import topics
from shared.accounts import OrganisationRow, UserRow
from shared.mail_choices import choose
from shared.runtime import ServiceRuntime
from tests.mail_sink import SmtpServer
from tests.notifier import events, probes
from tests.notifier.conftest import Publish, add_coordinator, eventually

Sessions = async_sessionmaker[AsyncSession]


async def _user_choosing(
    sessions: Sessions, email: str, role: str, number: str, choice: str
) -> None:
    """A user at ``email`` of a new organisation who chose ``choice`` for accepted matches."""
    async with sessions.begin() as session:
        organisation = OrganisationRow(kind=role, number=number, name=f"Organisatie {number}")
        session.add(organisation)
        await session.flush()
        user = UserRow(
            email=email, name="Contact", password_hash="!", role=role,
            organisation_id=organisation.id,
        )  # fmt: skip
        session.add(user)
        await session.flush()
        await choose(session, user.id, role, {"accepted": choice})


async def test_accepted_matches_reach_each_contact_as_chosen(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    sessions = notifier.sessions
    coordinator = await add_coordinator(sessions, "Limburg", digest="off")
    need, offer = events.need(), events.offer()
    await _user_choosing(
        sessions, need.contact.email, "school", need.school.institution_number, "daily"
    )
    await _user_choosing(
        sessions, offer.contact.email, "provider", offer.provider.enterprise_number, "off"
    )
    match = events.suggested(need, offer)
    await publish(topics.NEEDS_REGISTERED, need.need_id, need)
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    await publish(topics.MATCHES_SUGGESTED, match.match_id, match)

    async def announced() -> bool:
        row = await probes.suggestion(sessions, match.match_id)
        return row is not None and row.announced

    await eventually(announced)
    await publish(topics.MATCHES_DECIDED, match.match_id, events.decided(match))

    async def both_told() -> bool:
        rows = await probes.notifications(sessions, match.match_id)
        return len([row for row in rows if row.type == "accepted"]) == 2

    await eventually(both_told)
    suggestion_rows = [
        row for row in await probes.notifications(sessions, match.match_id)
        if row.type == "suggestion"
    ]  # fmt: skip
    assert any(row.recipient == f"coordinator:{coordinator.id}" for row in suggestion_rows)
    channels = {(d.address, d.channel) for d in await probes.deliveries(sessions, match.match_id)}
    assert (need.contact.email, "digest") in channels
    assert offer.contact.email not in {address for address, _ in channels}
    assert coordinator.email not in {address for address, _ in channels}

    now = datetime.now(UTC)
    async with sessions.begin() as session:
        await periodic.send_digests(session, now, digest_hour=0)
    day = digest_day(now, 0)
    await eventually(lambda: probes.sent_to(sessions, f"digest:{day}", need.contact.email))
    (overview,) = smtp.sink.to(need.contact.email, f"digest:{day}")
    text = overview.get_body(("plain",)).get_content()
    assert "aanvaard" in text.lower() and match_link(match.match_id) in text
    assert smtp.sink.to(need.contact.email, match.match_id) == []
    assert smtp.sink.to(offer.contact.email) == []
    assert smtp.sink.to(coordinator.email) == []
