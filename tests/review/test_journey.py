"""The journey after acceptance on the real database: each side marks its own steps in the one
order, a repeat or a race changes nothing twice, anyone else is told there is no such match, a
cancellation frees the days from today on, the next school of a rotation hears the car is coming,
and both sides rate a match that took place."""

import asyncio
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, select, text

from services.notifier.consequences import match_reviewed
from services.notifier.routing import organisation_key
from services.notifier.tables import NotificationRow
from services.review import ratings
from services.review.actors import Actor
from services.review.decisions import revoke
from services.review.rules import DecisionRefused
from services.review.steps import mark_step
from shared import topics
from shared.contracts import MatchReviewed, NeedRegistered, OfferRegistered, Period
from shared.outbox import OutboxEvent
from tests.builders import today
from tests.notifier import events
from tests.review.conftest import Sessions, accept, suggested_pairs
from tests.review.test_capacity_in_time import AUTUMN, LIMBURG, SPRING, diagnose_car, school

ANTWERPEN = Actor.coordinator("rtc-antwerpen@rtc.example", "Antwerpen")


def school_of(need: NeedRegistered) -> Actor:
    """A user of the need's school."""
    return Actor("school", f"leraar@{need.need_id}.example", need.school.institution_number)


def provider_of(offer: OfferRegistered) -> Actor:
    """A user of the offer's provider."""
    return Actor("provider", f"aanbod@{offer.offer_id}.example", offer.provider.enterprise_number)


# What each mark queued as matches.reviewed, per match: read in the mark's own transaction,
# since an outbox relay of another test may send and delete the rows once committed.
QUEUED: dict[str, list[MatchReviewed]] = defaultdict(list)
OWN_ROWS = text("outbox.xmin::text::bigint = txid_current() % 4294967296")


async def mark(sessions: Sessions, match_id: str, step: str, actor: Actor, reason: str = "") -> str:
    """Mark ``step`` in a transaction of its own: ``marked``, or the refusal's code."""
    try:
        async with sessions.begin() as session:
            await mark_step(session, match_id, step, reason, actor)
            rows = await session.scalars(
                select(OutboxEvent.payload)
                .where(OutboxEvent.key == match_id, OutboxEvent.topic == topics.MATCHES_REVIEWED)
                .where(OWN_ROWS)
                .order_by(OutboxEvent.id)
            )
            QUEUED[match_id] += [MatchReviewed.model_validate_json(row) for row in rows]
    except DecisionRefused as refused:
        return refused.code
    return "marked"


def steps_told(match_id: str) -> list[str | None]:
    """The steps the marks of a match told the matcher and the notifier, in order."""
    return [review.step for review in QUEUED[match_id]]


async def accepted_loan(sessions: Sessions, period: Period = AUTUMN) -> tuple[str, Actor, Actor]:
    car, need = diagnose_car(), school(period)
    (match,) = await suggested_pairs(sessions, [need], car)
    assert await accept(sessions, LIMBURG, match.match_id) == "accepted"
    return match.match_id, school_of(need), provider_of(car)


async def test_a_loan_goes_its_steps_each_side_marking_its_own(sessions: Sessions) -> None:
    match_id, school_user, provider_user = await accepted_loan(sessions)

    assert await mark(sessions, match_id, "delivered", provider_user) == "step_not_allowed"
    assert await mark(sessions, match_id, "dates_agreed", school_user) == "marked"
    assert await mark(sessions, match_id, "delivered", school_user) == "not_your_step"
    assert await mark(sessions, match_id, "delivered", provider_user) == "marked"
    assert await mark(sessions, match_id, "took_place", provider_user) == "step_not_allowed"
    assert await mark(sessions, match_id, "returned", school_user) == "marked"
    assert await mark(sessions, match_id, "checked", provider_user) == "marked"
    assert await mark(sessions, match_id, "cancelled", school_user, "Te laat") == (
        "step_not_allowed"  # the loan is over: nothing left to cancel
    )
    assert steps_told(match_id) == ["dates_agreed", "delivered", "returned", "checked"]


async def test_only_the_parties_mark_and_another_organisation_is_told_there_is_none(
    sessions: Sessions,
) -> None:
    match_id, _, _ = await accepted_loan(sessions)
    other_school = school_of(school(AUTUMN))
    other_provider = provider_of(diagnose_car())

    assert await mark(sessions, match_id, "dates_agreed", other_school) == "unknown_match"
    assert await mark(sessions, match_id, "dates_agreed", other_provider) == "unknown_match"
    assert await mark(sessions, match_id, "dates_agreed", ANTWERPEN) == "unknown_match"
    assert await mark(sessions, match_id, "dates_agreed", LIMBURG) == "not_your_step"
    assert await mark(sessions, "no-such-match", "dates_agreed", LIMBURG) == "unknown_match"


async def test_a_repeated_or_racing_mark_counts_once(sessions: Sessions) -> None:
    match_id, school_user, provider_user = await accepted_loan(sessions)

    outcomes = await asyncio.gather(
        *(
            mark(sessions, match_id, "dates_agreed", user)
            for user in [school_user, provider_user] * 4
        )
    )

    assert set(outcomes) == {"marked"}
    assert steps_told(match_id) == ["dates_agreed"]


async def test_an_open_or_rejected_match_has_no_journey(sessions: Sessions) -> None:
    car, need = diagnose_car(), school(AUTUMN)
    (match,) = await suggested_pairs(sessions, [need], car)

    assert await mark(sessions, match.match_id, "dates_agreed", school_of(need)) == "not_accepted"


async def test_a_cancellation_frees_the_days_from_today_for_another_school(
    sessions: Sessions,
) -> None:
    now = today()
    running = Period(start=now - timedelta(days=20), end=now + timedelta(days=80))
    later = Period(start=now + timedelta(days=10), end=now + timedelta(days=40))
    before = Period(start=now - timedelta(days=15), end=now - timedelta(days=5))
    car = diagnose_car().model_copy(update={"period": Period(start=running.start, end=running.end)})
    needs = [school(running), school(later), school(before)]
    first, second, third = await suggested_pairs(sessions, needs, car)
    assert await accept(sessions, LIMBURG, first.match_id) == "accepted"
    assert await accept(sessions, LIMBURG, second.match_id) == "offer_fully_booked"
    school_user = school_of(needs[0])

    assert await mark(sessions, first.match_id, "cancelled", school_user, " ") == (
        "cancel_reason_required"
    )
    assert await mark(sessions, first.match_id, "cancelled", school_user, "Klas valt weg") == (
        "marked"
    )

    (cancelled,) = QUEUED[first.match_id]
    assert cancelled.step == "cancelled" and cancelled.status == "accepted"
    assert [(run.first, run.last) for run in cancelled.offer_in_use or []] == [
        (running.start, now - timedelta(days=1))  # the days before today stay used
    ]
    assert cancelled.need_quantity_met == 1  # the school had the car: its need stays met
    assert await accept(sessions, LIMBURG, second.match_id) == "accepted"
    assert await accept(sessions, LIMBURG, third.match_id) == "offer_fully_booked"


async def test_a_cancellation_before_the_first_day_reopens_the_need_and_ends_revocation(
    sessions: Sessions,
) -> None:
    now = today()
    coming = Period(start=now + timedelta(days=30), end=now + timedelta(days=60))
    car = diagnose_car().model_copy(update={"period": coming})
    need = school(coming)
    (match,) = await suggested_pairs(sessions, [need], car)
    assert await accept(sessions, LIMBURG, match.match_id) == "accepted"

    assert await mark(sessions, match.match_id, "cancelled", provider_of(car), "Wagen stuk") == (
        "marked"
    )

    (cancelled,) = QUEUED[match.match_id]
    assert cancelled.need_quantity_met == 0 and cancelled.offer_in_use == []
    try:
        async with sessions.begin() as session:
            await revoke(session, match.match_id, "toch niet", LIMBURG)
        refused = ""
    except DecisionRefused as refusal:
        refused = refusal.code
    assert refused == "cancelled"  # the units went back once, not twice


async def test_the_next_school_hears_the_car_is_coming_once(sessions: Sessions) -> None:
    car, autumn_need, spring_need = diagnose_car(), school(AUTUMN), school(SPRING)
    autumn, spring = await suggested_pairs(sessions, [autumn_need, spring_need], car)
    for match in (autumn, spring):
        assert await accept(sessions, LIMBURG, match.match_id) == "accepted"
    autumn_school, provider_user = school_of(autumn_need), provider_of(car)
    for step, user in [("dates_agreed", autumn_school), ("delivered", provider_user)]:
        assert await mark(sessions, autumn.match_id, step, user) == "marked"

    assert await _tell(sessions, autumn.match_id, spring.match_id) == 0  # not on its way yet
    assert await mark(sessions, autumn.match_id, "returned", autumn_school) == "marked"
    assert await mark(sessions, autumn.match_id, "checked", provider_user) == "marked"

    assert await _tell(sessions, autumn.match_id, spring.match_id) == 1
    async with sessions() as session:
        notice = await session.scalar(
            select(NotificationRow).where(
                NotificationRow.match_id == spring.match_id, NotificationRow.type == "on_its_way"
            )
        )
    assert notice is not None
    assert notice.recipient == organisation_key("school", spring_need.school.institution_number)
    assert "komt naar u" in notice.subject and "1 februari" in notice.body_text


async def _tell(sessions: Sessions, match_id: str, next_match_id: str) -> int:
    """Hand every matches.reviewed of the match to the notifier (as its consumer does, again
    and again); the on-its-way notices about the next match."""
    for review in QUEUED[match_id]:
        async with sessions.begin() as session:
            await match_reviewed(session, review)
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(NotificationRow)
            .where(NotificationRow.match_id == next_match_id, NotificationRow.type == "on_its_way")
        )
    return count or 0


async def test_both_sides_rate_a_match_that_took_place_and_the_provider_has_a_record(
    sessions: Sessions,
) -> None:
    offer, need = events.offer(), events.need()
    (match,) = await suggested_pairs(sessions, [need], offer)
    assert await accept(sessions, LIMBURG, match.match_id) == "accepted"
    school_user, provider_user = school_of(need), provider_of(offer)
    assert await _rate(sessions, match.match_id, 4, "Goed", school_user) == "not_rateable"
    assert await mark(sessions, match.match_id, "dates_agreed", provider_user) == "marked"
    assert await mark(sessions, match.match_id, "took_place", school_user) == "marked"

    comment = "Leerrijk; <b>'t</b> was kort -- DROP TABLE"
    assert await _rate(sessions, match.match_id, 0, "", school_user) == "invalid_rating"
    assert await _rate(sessions, match.match_id, 5, "x" * 301, school_user) == "invalid_rating"
    assert await _rate(sessions, match.match_id, 2, "Eerst", school_user) == "rated"
    assert await _rate(sessions, match.match_id, 4, comment, school_user) == "rated"
    assert await _rate(sessions, match.match_id, 5, "Fijne leraar", provider_user) == "rated"

    async with sessions() as session:
        given = await ratings.ratings_of(session, match.match_id)
        record = await ratings.track_record(session, offer.provider.enterprise_number)
    assert [(r.side, r.score, r.comment) for r in given] == [
        ("provider", 5, "Fijne leraar"),
        ("school", 4, comment),  # stored as written
    ]
    assert record == ratings.TrackRecord(average=4.0, count=1)  # what schools said, once each


async def _rate(sessions: Sessions, match_id: str, score: int, comment: str, actor: Actor) -> str:
    try:
        async with sessions.begin() as session:
            await ratings.rate(session, match_id, score, comment, actor)
    except DecisionRefused as refused:
        return refused.code
    return "rated"
