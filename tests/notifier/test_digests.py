"""The daily digests of several people are made together: their people, their suggestions and
the digests themselves are each read or written once, however many people wait for one."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import event

from services.notifier import periodic
from shared import topics
from shared.calendar import LOCAL_TIME
from shared.runtime import ServiceRuntime
from tests.builders import today
from tests.mail_sink import SmtpServer
from tests.notifier import events, probes
from tests.notifier.conftest import Publish, add_coordinator, eventually


async def test_the_digests_of_several_people_take_a_few_statements_in_all(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    region = events.need("9000").place.rtc_region
    people = [await add_coordinator(notifier.sessions, region, digest="daily") for _ in range(3)]
    need, offers = events.need("9000"), [events.offer(), events.offer()]
    await publish(topics.NEEDS_REGISTERED, need.need_id, need)
    for offer in offers:
        await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    matches = [events.suggested(need, offer) for offer in offers]
    for match in matches:
        await publish(topics.MATCHES_SUGGESTED, match.match_id, match)
    for match in matches:
        await eventually(lambda m=match: probes.notifications(notifier.sessions, m.match_id))

    sent: list[str] = []
    day = today() + timedelta(days=500)  # a day no other test digests
    morning = datetime.combine(day, time(7, 30), tzinfo=UTC)
    async with notifier.sessions.begin() as session:
        connection = (await session.connection()).sync_connection
        assert connection is not None

        def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            sent.append(statement)

        event.listen(connection, "before_cursor_execute", record)
        await periodic.send_digests(session, morning, digest_hour=7)
    event.remove(connection, "before_cursor_execute", record)

    for person in people:
        await eventually(
            lambda p=person: probes.sent_to(notifier.sessions, f"digest:{day}", p.email)
        )
        (mail,) = smtp.sink.to(person.email, f"digest:{day}")
        text = mail.get_body(("plain",)).get_content()
        assert all(match.explanation in text for match in matches)
    # the waiting deliveries, the people, the suggestions, the digests and their deliveries,
    # the deliveries closed: whoever else waits for a digest, not a statement per person
    assert len(sent) <= 6, sent


async def test_what_arrives_after_the_days_digest_waits_for_the_next_one_unread(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    region = events.need("9000").place.rtc_region
    person = await add_coordinator(notifier.sessions, region, digest="daily")
    first, second = events.need("9000"), events.need("9000")
    offer = events.offer()
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    day = today() + timedelta(days=600)  # a day no other test digests
    morning = datetime.combine(day, time(7, 30), tzinfo=UTC)

    async def digest_at(now: datetime) -> int:
        async with notifier.sessions.begin() as session:
            return await periodic.send_digests(session, now, digest_hour=7)

    early = await _suggested(publish, notifier, first, offer)
    assert await digest_at(morning) >= 1
    late = await _suggested(publish, notifier, second, offer)
    await digest_at(morning + timedelta(hours=2))
    waiting = await probes.delivery_to(notifier.sessions, late, person.email)
    assert waiting is not None and waiting.status == "pending"
    # not read again before the next digest is due: 07:00 in Brussels the next day
    next_day = day + timedelta(days=1)
    assert waiting.next_attempt_at == datetime.combine(next_day, time(7), tzinfo=LOCAL_TIME)

    await digest_at(morning + timedelta(days=1))
    for listed, on in ((early, day), (late, next_day)):
        await eventually(
            lambda on=on: probes.sent_to(notifier.sessions, f"digest:{on}", person.email)
        )
        (digest,) = [
            n
            for n in await probes.notifications(notifier.sessions, f"digest:{on}")
            if n.recipient == f"user:{person.id}"
        ]
        assert digest.payload["match_ids"] == [listed]


async def _suggested(
    publish: Publish,
    notifier: ServiceRuntime,
    need: events.NeedRegistered,
    offer: events.OfferRegistered,
) -> str:
    """A suggestion of ``offer`` for ``need``, announced; its id."""
    await publish(topics.NEEDS_REGISTERED, need.need_id, need)
    match = events.suggested(need, offer)
    await publish(topics.MATCHES_SUGGESTED, match.match_id, match)
    await eventually(lambda: probes.notifications(notifier.sessions, match.match_id))
    return match.match_id
