"""Decisions and their consequences: parties told once with each other's contact, rejections
recorded, refusals with a clear reason, redeliveries without effect, signed webhooks."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.actors import Actor
from services.review.decisions import make_decision
from services.review.queries import MatchFilter, list_matches
from services.review.rules import DecisionRefused
from services.review.tables import ReviewNeed, ReviewOffer
from shared import topics
from shared.contracts import MatchSuggested, NeedRegistered, OfferRegistered
from shared.runtime import ServiceRuntime
from tests.mail_sink import SmtpServer
from tests.notifier import events, probes
from tests.notifier.conftest import Publish, add_coordinator, add_webhook, eventually
from tests.notifier.servers import WebhookReceiver

Sessions = async_sessionmaker[AsyncSession]


async def _register(publish: Publish, *postings: NeedRegistered | OfferRegistered) -> None:
    for posting in postings:
        if isinstance(posting, NeedRegistered):
            await publish(topics.NEEDS_REGISTERED, posting.need_id, posting)
        else:
            await publish(topics.OFFERS_REGISTERED, posting.offer_id, posting)


async def _suggest(
    publish: Publish, sessions: Sessions, match: MatchSuggested, key: str | None = None
) -> None:
    """Publish a suggestion and wait until the notifier announced it."""
    await publish(topics.MATCHES_SUGGESTED, key or match.match_id, match)

    async def announced() -> bool:
        row = await probes.suggestion(sessions, match.match_id)
        return row is not None and row.announced

    await eventually(announced)


async def _status(sessions: Sessions, match_id: str, status: str) -> bool:
    row = await probes.suggestion(sessions, match_id)
    return row is not None and row.status == status


async def test_accept_tells_both_parties_once_with_the_other_contact_whatever_is_redelivered(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    sessions = notifier.sessions
    need, offer = events.need(), events.offer(capacity=3)
    match = events.suggested(need, offer)
    await _register(publish, need, offer)
    await _suggest(publish, sessions, match)

    accepted = events.decided(match)
    for _ in range(3):  # Kafka redelivers the same event; the web API double-clicks another
        await publish(topics.MATCHES_DECIDED, match.match_id, accepted)
    await publish(topics.MATCHES_DECIDED, match.match_id, events.decided(match))
    await _register(publish, need, offer)
    await publish(topics.MATCHES_SUGGESTED, match.match_id, match)
    # Barrier: a later event on the same partitions; once applied, all the above were too.
    sentinel_need, sentinel_offer = events.need(), events.offer()
    sentinel = events.suggested(sentinel_need, sentinel_offer)
    await _register(publish, sentinel_need, sentinel_offer)
    await _suggest(publish, sessions, sentinel, key=match.match_id)
    await publish(
        topics.MATCHES_DECIDED, match.match_id, events.decided(sentinel, "rejected", "other")
    )
    await eventually(lambda: _status(sessions, sentinel.match_id, "rejected"))

    school_mail = await eventually(
        lambda: probes.sent_to(sessions, match.match_id, need.contact.email)
    )
    await eventually(lambda: probes.sent_to(sessions, match.match_id, offer.contact.email))
    rows = await probes.notifications(sessions, match.match_id)
    assert sorted(r.recipient for r in rows if r.type == "accepted") == sorted(
        [f"school:{need.school.institution_number}", f"provider:{offer.provider.enterprise_number}"]
    )
    (to_school,) = smtp.sink.to(need.contact.email, match.match_id)
    (to_provider,) = smtp.sink.to(offer.contact.email, match.match_id)
    assert offer.contact.email in to_school.get_body(("plain",)).get_content()
    assert need.contact.email in to_provider.get_body(("plain",)).get_content()
    assert school_mail.attempts == 1
    async with sessions() as session:
        need_row = await session.get(ReviewNeed, need.need_id)
        offer_row = await session.get(ReviewOffer, offer.offer_id)
    assert need_row is not None and offer_row is not None
    assert (need_row.quantity, need_row.quantity_met) == (1, 1)
    assert offer_row.capacity_used == 1  # once, not once per redelivery


async def test_reject_is_recorded_with_its_reason_nobody_is_told_and_the_next_moves_up(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    sessions = notifier.sessions
    await add_coordinator(sessions, "Limburg")
    need, first_offer, second_offer = events.need(), events.offer(), events.offer()
    first = events.suggested(need, first_offer, rank=1)
    second = events.suggested(need, second_offer, rank=2)
    await _register(publish, need, first_offer, second_offer)
    await _suggest(publish, sessions, first)
    await _suggest(publish, sessions, second)

    async def queue() -> list[str]:
        wanted = MatchFilter(status="open", need_id=need.need_id, sort="score")
        async with sessions() as session:
            rows, _ = await list_matches(
                session, Actor("coordinator", rtc_region="Limburg"), wanted, 0, 50
            )
        return [match.match_id for match, _, _ in rows]

    assert await queue() == [first.match_id, second.match_id]
    await publish(
        topics.MATCHES_DECIDED, first.match_id, events.decided(first, "rejected", "too_far")
    )
    await eventually(lambda: _status(sessions, first.match_id, "rejected"))

    row = await probes.suggestion(sessions, first.match_id)
    assert row is not None and (row.reason_code, row.reason) == ("too_far", "Te ver voor de leraar")
    notified = await probes.notifications(sessions, first.match_id)
    assert {n.type for n in notified} == {"suggestion"}
    assert smtp.sink.to(need.contact.email) == smtp.sink.to(first_offer.contact.email) == []
    assert await queue() == [second.match_id]


async def test_webhook_is_signed_and_retried_until_the_receiver_accepts(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    sessions = notifier.sessions
    need, offer = events.need(), events.offer()
    match = events.suggested(need, offer)
    school_id = need.school.institution_number
    with WebhookReceiver("school-secret", fail_first=1) as receiver:
        await add_webhook(sessions, school_id, receiver.url, "school-secret")
        await _register(publish, need, offer)
        await _suggest(publish, sessions, match)
        await publish(topics.MATCHES_DECIDED, match.match_id, events.decided(match))
        delivery = await eventually(lambda: probes.sent_to(sessions, match.match_id, school_id))
    assert delivery.channel == "webhook" and delivery.attempts == 2
    assert [call["verified"] for call in receiver.calls] == [True, True]
    body = receiver.calls[-1]["json"]
    assert (body["type"], body["match_id"]) == ("accepted", match.match_id)
    assert body["contact"]["email"] == offer.contact.email
    assert receiver.calls[0]["delivery"] == receiver.calls[1]["delivery"] == str(delivery.id)


async def _refusal(
    sessions: Sessions, match_id: str, decision: str, code: str | None, by: Actor
) -> str:
    async with sessions.begin() as session:
        try:
            await make_decision(session, match_id, decision, code, "", by)  # type: ignore[arg-type]
        except DecisionRefused as refused:
            return refused.code
    raise AssertionError(f"{decision} of {match_id} was not refused")


async def test_decide_publishes_the_decision_and_refuses_what_is_no_longer_open(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    sessions = notifier.sessions
    limburg = Actor.coordinator((await add_coordinator(sessions, "Limburg")).email, "Limburg")
    antwerpen = Actor.coordinator((await add_coordinator(sessions, "Antwerpen")).email, "Antwerpen")
    offer = events.offer(capacity=1)
    needs = [events.need() for _ in range(3)]
    first, second, third = (events.suggested(need, offer) for need in needs)
    await _register(publish, offer, *needs)
    for match in (first, second, third):
        await _suggest(publish, sessions, match)

    # Another region's coordinator cannot even tell the match exists.
    assert await _refusal(sessions, first.match_id, "accepted", None, antwerpen) == "unknown_match"
    async with sessions.begin() as session:
        decided = await make_decision(session, first.match_id, "accepted", None, "", limburg)
    assert (decided.match_id, decided.decision, decided.decided_by) == (
        first.match_id,
        "accepted",
        limburg.email,
    )
    assert await _refusal(sessions, first.match_id, "rejected", "other", limburg) == (
        "already_decided"
    )
    # The review goes out through the outbox and comes back: the provider hears of it.
    await eventually(lambda: probes.sent_to(sessions, first.match_id, offer.contact.email))

    assert await _refusal(sessions, second.match_id, "accepted", None, limburg) == (
        "offer_fully_booked"
    )
    assert await _refusal(sessions, second.match_id, "rejected", None, limburg) == (
        "reason_code_required"
    )
    assert await _refusal(sessions, second.match_id, "maybe", None, limburg) == ("invalid_decision")
    await publish(topics.MATCHES_WITHDRAWN, third.match_id, events.withdrawn(third))
    await eventually(lambda: _status(sessions, third.match_id, "withdrawn"))
    assert await _refusal(sessions, third.match_id, "accepted", None, limburg) == "withdrawn"
    assert await _refusal(sessions, "no-such-match", "accepted", None, limburg) == "unknown_match"


async def test_an_internship_accepted_without_its_replacement_is_flagged_to_the_coordinator(
    notifier: ServiceRuntime, publish: Publish, smtp: SmtpServer
) -> None:
    sessions = notifier.sessions
    coordinator = await add_coordinator(sessions, "Limburg")
    offer = events.offer(capacity=5)
    bare, covered = events.need(replacement=True), events.need(replacement=True)
    replacements = [
        events.need(kind="replacement_activity", linked_need_id=n.need_id) for n in (bare, covered)
    ]
    bare_match, covered_match, replacement_match = (
        events.suggested(bare, offer),
        events.suggested(covered, offer),
        events.suggested(replacements[1], offer),
    )
    await _register(publish, offer, bare, covered, *replacements)
    for match in (bare_match, covered_match, replacement_match):
        await _suggest(publish, sessions, match)
    await publish(
        topics.MATCHES_DECIDED, replacement_match.match_id, events.decided(replacement_match)
    )
    await eventually(lambda: _status(sessions, replacement_match.match_id, "accepted"))
    for match in (bare_match, covered_match):
        await publish(topics.MATCHES_DECIDED, match.match_id, events.decided(match))
        await eventually(lambda m=match: _status(sessions, m.match_id, "accepted"))

    async def flags(match: MatchSuggested) -> list[str]:
        rows = await probes.notifications(sessions, match.match_id)
        return [n.recipient for n in rows if n.type == "replacement_missing"]

    def flag_mail() -> bool:
        subjects = [m["Subject"] for m in smtp.sink.to(coordinator.email, bare_match.match_id)]
        return any(" ".join(s.split()).startswith("Let op: bedrijfsstage zonder") for s in subjects)

    async def flag_mailed() -> bool:
        return flag_mail()

    # Acceptances come back as matches.reviewed; the flag follows from that.
    assert f"coordinator:{coordinator.id}" in await eventually(lambda: flags(bare_match))
    await eventually(flag_mailed)
    await eventually(lambda: _status(sessions, covered_match.match_id, "accepted"))
    assert await flags(covered_match) == []
