"""Suggestions reach the right coordinator's inbox and mailbox, whatever the SMTP server does."""

from datetime import UTC, datetime, time, timedelta

from aiokafka import AIOKafkaProducer
from dateutil.easter import easter
from sqlalchemy import select

from services.notifier import notifications, periodic
from services.notifier.routing import coordinator_key
from services.notifier.tables import NotificationRow
from shared import topics
from shared.accounts import OrganisationRow, UserRow
from shared.runtime import ServiceRuntime
from tests.builders import today
from tests.mail_sink import SmtpServer
from tests.notifier import events, probes
from tests.notifier.conftest import Publish, add_coordinator, eventually
from tests.refusals import sent
from tests.stack import Stack


async def _suggest(publish: Publish, postal_code: str = "3500") -> events.MatchSuggested:
    need, offer = events.need(postal_code), events.offer()
    match = events.suggested(need, offer)
    await publish(topics.NEEDS_REGISTERED, need.need_id, need)
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    await publish(topics.MATCHES_SUGGESTED, match.match_id, match)
    return match


async def test_a_suggestion_reaches_the_coordinator_of_the_schools_region_only(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    sessions = notifier.sessions
    limburg = await add_coordinator(sessions, "Limburg")
    antwerpen = await add_coordinator(sessions, "Antwerpen")
    match = await _suggest(publish, "3500")

    await eventually(lambda: probes.sent_to(sessions, match.match_id, limburg.email))
    async with sessions() as session:
        (entry,) = [
            n
            for n in await notifications.list_inbox(session, coordinator_key(limburg.id))
            if n.match_id == match.match_id
        ]
        other = await notifications.list_inbox(session, coordinator_key(antwerpen.id))
    assert entry.type == "suggestion" and entry.read_at is None
    assert other == []
    (mail,) = smtp.sink.to(limburg.email, match.match_id)
    # (header folding may double a space; a mail client shows the words)
    assert " ".join(mail["Subject"].split()) == (
        "Nieuwe suggestie voor VTI Hasselt: Garage X (auto, 12 km) — score 0,87"
    )
    assert "Zelfde vakgebied (auto)" in mail.get_body(("plain",)).get_content()
    assert smtp.sink.to(antwerpen.email, match.match_id) == []


async def test_brussels_schools_are_served_by_rtc_vlaams_brabant(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    vlaams_brabant = await add_coordinator(notifier.sessions, "Vlaams-Brabant")
    match = await _suggest(publish, "1000")
    rows = await eventually(lambda: probes.notifications(notifier.sessions, match.match_id))
    async with notifier.sessions() as session:
        region = await session.scalars(
            select(UserRow.id)
            .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
            .where(UserRow.role == "coordinator", OrganisationRow.rtc_region == "Vlaams-Brabant")
        )
        expected = {coordinator_key(coordinator_id) for coordinator_id in region}
    # Other tests may add coordinators of the same region: every one of them, and no other.
    assert coordinator_key(vlaams_brabant.id) in expected
    assert {row.recipient for row in rows} == expected


async def test_only_the_owner_can_mark_a_notification_read(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    coordinator = await add_coordinator(notifier.sessions, "West-Vlaanderen")
    match = await _suggest(publish, "8000")
    owner = coordinator_key(coordinator.id)

    async def own_notification() -> list[NotificationRow]:
        rows = await probes.notifications(notifier.sessions, match.match_id)
        return [row for row in rows if row.recipient == owner]

    # Other coordinators of the region (from other tests or runs) are told as well.
    (row,) = await eventually(own_notification)
    async with notifier.sessions.begin() as session:
        try:
            await notifications.mark_read(session, row.id, "school:048561")
            raise AssertionError("someone else marked the coordinator's notification read")
        except notifications.NotificationNotFound:
            pass
    async with notifier.sessions.begin() as session:
        await notifications.mark_read(session, row.id, owner)
    async with notifier.sessions() as session:
        assert await notifications.list_inbox(session, owner, unread_only=True) == []
        (read,) = await notifications.list_inbox(session, owner)
    assert read.read_at is not None


async def test_an_smtp_server_down_for_a_while_delays_but_loses_no_mail(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    coordinator = await add_coordinator(notifier.sessions, "Limburg")
    await smtp.stop()
    try:
        match = await _suggest(publish)

        async def retried() -> bool:
            row = await probes.delivery_to(notifier.sessions, match.match_id, coordinator.email)
            return row is not None and row.attempts >= 2 and row.status == "pending"

        await eventually(retried)
        assert smtp.sink.to(coordinator.email, match.match_id) == []
    finally:
        await smtp.start()
    delivery = await eventually(
        lambda: probes.sent_to(notifier.sessions, match.match_id, coordinator.email)
    )
    assert delivery.attempts >= 3 and delivery.last_error is None
    assert len(smtp.sink.to(coordinator.email, match.match_id)) == 1


async def test_daily_digest_collects_suggestions_into_one_mail_a_day(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    coordinator = await add_coordinator(notifier.sessions, "Oost-Vlaanderen", digest="daily")
    first, second = await _suggest(publish, "9000"), await _suggest(publish, "9000")
    for match in (first, second):
        await eventually(lambda m=match: probes.notifications(notifier.sessions, m.match_id))
    assert smtp.sink.to(coordinator.email) == []  # inbox only, no mail yet

    morning = datetime(2027, 1, 20, 7, 30, tzinfo=UTC)
    for _ in range(2):  # a second run the same day sends nothing more
        async with notifier.sessions.begin() as session:
            await periodic.send_digests(session, morning, digest_hour=7)

    await eventually(
        lambda: probes.sent_to(notifier.sessions, "digest:2027-01-20", coordinator.email)
    )
    (mail,) = smtp.sink.to(coordinator.email, "digest:2027-01-20")
    assert mail["Subject"] == "Schakel: 2 nieuwe suggesties (20-01-2027)"
    text = mail.get_body(("plain",)).get_content()
    assert text.count("VTI Hasselt: Garage X") == 2


async def test_undecided_suggestions_earn_one_reminder_after_working_days(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    coordinator = await add_coordinator(notifier.sessions, "Antwerpen")
    need, offer = events.need("2000"), events.offer()
    thursday = datetime(2020, 1, 16, 9, 0, tzinfo=UTC)
    match = events.suggested(need, offer, at=thursday)
    await publish(topics.NEEDS_REGISTERED, need.need_id, need)
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    await publish(topics.MATCHES_SUGGESTED, match.match_id, match)
    await eventually(lambda: probes.sent_to(notifier.sessions, match.match_id, coordinator.email))

    async def remind(now: datetime) -> int:
        async with notifier.sessions.begin() as session:
            return await periodic.send_reminders(session, now, working_days=3)

    assert await remind(datetime(2020, 1, 20, 12, 0, tzinfo=UTC)) == 0  # Monday: 2 working days
    assert await remind(datetime(2020, 1, 21, 9, 0, tzinfo=UTC)) == 1  # Tuesday: 3 working days
    assert await remind(datetime(2020, 1, 24, 9, 0, tzinfo=UTC)) == 0  # reminded once only

    async def both_mailed() -> bool:
        return len(smtp.sink.to(coordinator.email, match.match_id)) == 2

    await eventually(both_mailed)
    subjects = sorted(m["Subject"] for m in smtp.sink.to(coordinator.email, match.match_id))
    assert [s.split(":")[0] for s in subjects] == [
        "Herinnering",
        "Nieuwe suggestie voor VTI Hasselt",
    ]


async def test_a_reminder_never_falls_on_easter_monday(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    coordinator = await add_coordinator(notifier.sessions, "Antwerpen")
    need, offer = events.need("2000"), events.offer()
    easter_monday = easter(today().year + 1) + timedelta(days=1)
    maundy_thursday = datetime.combine(easter_monday - timedelta(days=4), time(9), tzinfo=UTC)
    match = events.suggested(need, offer, at=maundy_thursday)
    await publish(topics.NEEDS_REGISTERED, need.need_id, need)
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    await publish(topics.MATCHES_SUGGESTED, match.match_id, match)
    await eventually(lambda: probes.sent_to(notifier.sessions, match.match_id, coordinator.email))

    async def reminded(days_after_thursday: int, hour: int) -> bool:
        """Whether a round at ``hour`` UTC reminds of the match. The round is rolled back: a
        date next spring makes every undecided suggestion other tests left due, and their
        reminders must not reach the dispatcher other tests wait behind; they go out a share at
        a time, the oldest first, so the round takes shares until one is not full."""
        now = maundy_thursday + timedelta(days=days_after_thursday, hours=hour - 9)
        async with notifier.sessions() as session, session.begin() as transaction:
            # as the dispatcher does: other tests' suggestions, older, come first
            while await periodic.send_reminders(session, now, 3) == periodic.REMINDERS_AT_ONCE:
                pass
            reminders = await session.scalars(
                select(NotificationRow.id).where(
                    NotificationRow.match_id == match.match_id, NotificationRow.type == "reminder"
                )
            )
            found = reminders.first() is not None
            await transaction.rollback()
        return found

    # Friday, Tuesday and Wednesday are its 3 working days: Easter Monday is none of them.
    assert not await reminded(4, 12)  # Easter Monday
    assert not await reminded(5, 12)  # Tuesday
    assert await reminded(6, 9)  # Wednesday, the suggestion's clock time


async def test_an_invalid_event_is_dead_lettered_and_does_not_stall_the_consumer(
    notifier: ServiceRuntime, publish: Publish, stack: Stack
) -> None:
    need, offer = events.need(), events.offer()
    match = events.suggested(need, offer)
    await publish(topics.NEEDS_REGISTERED, need.need_id, need)
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    await producer.start()
    try:  # same key, so the same partition, before the valid suggestion
        await producer.send_and_wait(
            topics.MATCHES_SUGGESTED, key=match.match_id.encode(), value=b'{"match_id": 1}'
        )
    finally:
        await producer.stop()
    await publish(topics.MATCHES_SUGGESTED, match.match_id, match)

    async def announced() -> bool:
        row = await probes.suggestion(notifier.sessions, match.match_id)
        return row is not None and row.announced

    await eventually(announced)
    letters = await sent(notifier.sessions, topics.INTERNAL_DLQ, match.match_id)
    assert len(letters) == 1
    assert letters[0].value["reason"].startswith("not a valid MatchSuggested: ")
    assert letters[0].value["source_topic"] == topics.MATCHES_SUGGESTED
