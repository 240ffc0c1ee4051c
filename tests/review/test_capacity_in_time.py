"""Capacity in time on the real database: a Diagnose car lent to one school after another, its
turnaround, racing accepts on shared and separate days, a revocation freeing the days."""

import asyncio
from datetime import date, timedelta

from services.api.pages.dutch import REFUSALS
from services.review.actors import Actor
from services.review.decisions import revoke
from services.review.queries import MatchFilter
from services.review.queue import need_cards
from services.review.tables import ReviewMatch, ReviewOffer
from shared.contracts import NeedRegistered, OfferRegistered, Period
from tests.builders import today
from tests.notifier import events
from tests.review.conftest import Sessions, accept, suggested_pairs

LIMBURG = Actor.coordinator("rtc-limburg@rtc.example", "Limburg")
YEAR = today().year + 1  # a school year that has not begun
SCHOOL_YEAR = Period(start=date(YEAR, 9, 1), end=date(YEAR + 1, 6, 30))
AUTUMN = Period(start=date(YEAR, 9, 1), end=date(YEAR + 1, 1, 31))
SPRING = Period(start=date(YEAR + 1, 2, 1), end=date(YEAR + 1, 6, 30))
WINTER = Period(start=date(YEAR + 1, 1, 15), end=date(YEAR + 1, 3, 31))  # overlaps both


def diagnose_car(units: int = 1, turnaround_days: int = 0) -> OfferRegistered:
    """A sector organisation lends ``units`` diagnose cars for the school year."""
    offer = events.offer(capacity=units, provider_name="Diagnose Car")
    return offer.model_copy(
        update={"kind": "equipment_loan", "period": SCHOOL_YEAR, "turnaround_days": turnaround_days}
    )


def school(period: Period) -> NeedRegistered:
    """A school that wants a car for ``period``."""
    return events.need(kind="equipment_loan").model_copy(update={"period": period})


async def _booked(sessions: Sessions, match_id: str) -> tuple[date | None, date | None, int]:
    async with sessions() as session:
        match = await session.get(ReviewMatch, match_id)
    assert match is not None
    return match.booked_from, match.booked_until, match.units


async def _used(sessions: Sessions, offer_id: str) -> int:
    async with sessions() as session:
        offer = await session.get(ReviewOffer, offer_id)
    assert offer is not None
    return offer.capacity_used


async def test_one_car_goes_to_an_autumn_school_then_a_spring_school(sessions: Sessions) -> None:
    car = diagnose_car()
    autumn, spring, winter = await suggested_pairs(
        sessions, [school(AUTUMN), school(SPRING), school(WINTER)], car
    )

    assert await accept(sessions, LIMBURG, autumn.match_id) == "accepted"
    assert await _used(sessions, car.offer_id) == 0  # spring is still free: the car stays offered
    assert await accept(sessions, LIMBURG, spring.match_id) == "accepted"
    refusal = await accept(sessions, LIMBURG, winter.match_id)

    assert refusal == "offer_fully_booked"
    assert "periode" in REFUSALS[refusal]  # the coordinator reads why, in Dutch
    assert await _booked(sessions, autumn.match_id) == (AUTUMN.start, AUTUMN.end, 1)
    assert await _booked(sessions, spring.match_id) == (SPRING.start, SPRING.end, 1)
    assert await _used(sessions, car.offer_id) == 1  # every day of the year is taken


async def test_the_turnaround_keeps_the_car_away_after_each_loan(sessions: Sessions) -> None:
    car = diagnose_car(turnaround_days=14)
    right_after = Period(start=AUTUMN.end + timedelta(days=1), end=SPRING.end)
    after_the_check = Period(start=AUTUMN.end + timedelta(days=15), end=SPRING.end)
    autumn, too_soon, later = await suggested_pairs(
        sessions, [school(AUTUMN), school(right_after), school(after_the_check)], car
    )

    assert await accept(sessions, LIMBURG, autumn.match_id) == "accepted"
    assert await accept(sessions, LIMBURG, too_soon.match_id) == "offer_fully_booked"
    assert await accept(sessions, LIMBURG, later.match_id) == "accepted"


async def test_two_cars_serve_two_schools_at_once_and_no_third(sessions: Sessions) -> None:
    cars = diagnose_car(units=2)
    first, second, third = await suggested_pairs(
        sessions, [school(AUTUMN), school(WINTER), school(AUTUMN)], cars
    )

    assert await accept(sessions, LIMBURG, first.match_id) == "accepted"
    assert await accept(sessions, LIMBURG, second.match_id) == "accepted"
    assert await accept(sessions, LIMBURG, third.match_id) == "offer_fully_booked"


async def test_racing_accepts_for_the_last_car_on_the_same_days_give_one_winner(
    sessions: Sessions,
) -> None:
    car = diagnose_car()
    matches = await suggested_pairs(sessions, [school(WINTER) for _ in range(12)], car)

    outcomes = await asyncio.gather(*(accept(sessions, LIMBURG, m.match_id) for m in matches))

    assert outcomes.count("accepted") == 1
    assert set(outcomes) == {"accepted", "offer_fully_booked"}


async def test_racing_accepts_on_separate_days_both_win(sessions: Sessions) -> None:
    car = diagnose_car()
    autumn, spring = await suggested_pairs(sessions, [school(AUTUMN), school(SPRING)], car)

    outcomes = await asyncio.gather(
        accept(sessions, LIMBURG, autumn.match_id), accept(sessions, LIMBURG, spring.match_id)
    )

    assert outcomes == ["accepted", "accepted"]


async def test_a_revocation_frees_the_days_for_another_school(sessions: Sessions) -> None:
    car = diagnose_car()
    autumn, winter = await suggested_pairs(sessions, [school(AUTUMN), school(WINTER)], car)
    assert await accept(sessions, LIMBURG, autumn.match_id) == "accepted"
    assert await accept(sessions, LIMBURG, winter.match_id) == "offer_fully_booked"

    async with sessions.begin() as session:
        await revoke(session, autumn.match_id, "De school ziet af van de wagen", LIMBURG)

    assert await accept(sessions, LIMBURG, winter.match_id) == "accepted"


async def test_a_need_for_some_days_gets_the_first_free_stretch(sessions: Sessions) -> None:
    car = diagnose_car()
    ten_days = Period(start=SCHOOL_YEAR.start, end=SCHOOL_YEAR.end, days=10)
    autumn, short = await suggested_pairs(sessions, [school(AUTUMN), school(ten_days)], car)
    assert await accept(sessions, LIMBURG, autumn.match_id) == "accepted"

    assert await accept(sessions, LIMBURG, short.match_id) == "accepted"

    first, last, units = await _booked(sessions, short.match_id)
    assert first is not None and last is not None
    assert AUTUMN.end < first and last < SPRING.end and units == 1
    assert (last - first).days < 20  # ten working days, not the rest of the year


async def test_the_queue_card_says_when_the_car_is_free_and_what_was_booked(
    sessions: Sessions,
) -> None:
    car = diagnose_car()
    autumn, winter, spring = await suggested_pairs(
        sessions, [school(AUTUMN), school(WINTER), school(SPRING)], car
    )
    assert await accept(sessions, LIMBURG, autumn.match_id) == "accepted"

    said = {m.need_id: await _availability(sessions, m.need_id) for m in (autumn, winter, spring)}

    assert said == {
        autumn.need_id: f"Geboekt van 1 september {YEAR} tot 31 januari {YEAR + 1}",
        winter.need_id: "Vrij van 1 februari tot 31 maart",
        spring.need_id: "Vrij van 1 februari tot 30 juni",
    }


async def _availability(sessions: Sessions, need_id: str) -> str:
    async with sessions() as session:
        (card,), _ = await need_cards(
            session, LIMBURG, MatchFilter(need_id=need_id), 0, 10, lambda _: False
        )
    (candidate,) = card.candidates
    return candidate.availability
