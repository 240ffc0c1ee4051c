"""One test per hard rule of SPEC section 5: a violating pair is never suggested, whichever
posting arrives last; the same pair without the violation is (so each test can fail)."""

from dataclasses import replace
from datetime import timedelta

import pytest
from dateutil.easter import easter

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.engine import Matcher
from services.matcher.profiles import fields_of, offer_profiles
from shared.school_holidays import school_holidays
from tests.builders import NEED_START
from tests.matcher.builders import SETTINGS, a_need, an_offer
from tests.matcher.events import fresh_period, offer_event

ARRIVALS = ["need_last", "offer_last"]


def suggested(need: NeedProfile, offer: OfferProfile, arrival: str) -> bool:
    """Whether the pair is suggested when ``arrival`` says which posting comes second."""
    matcher = Matcher(SETTINGS)
    if arrival == "need_last":
        matcher.register_offer(offer)
        changes = matcher.register_need(need)
    else:
        matcher.register_need(need)
        changes = matcher.register_offer(offer)
    return [(s.need_id, s.offer_id) for s in changes.suggested] == [(need.need_id, offer.offer_id)]


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_kind_must_be_compatible(arrival: str) -> None:
    assert suggested(a_need(), an_offer("same-kind"), arrival)
    assert not suggested(a_need(), an_offer("guest", kind="guest_expert"), arrival)
    assert not suggested(a_need(), an_offer("infra", kind="infrastructure_access"), arrival)
    loan_need = a_need(kind="infrastructure_access")
    assert not suggested(loan_need, an_offer("loan", kind="equipment_loan"), arrival)


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_periods_must_overlap_by_the_needs_days(arrival: str) -> None:
    # Monday .. Sunday of the need's last week, three weeks before Easter, when Belgium has no
    # public holiday: 5 working days inside its window up to Friday.
    need = a_need(end=easter(NEED_START.year + 1) - timedelta(days=16))
    last_monday = need.end - timedelta(days=4)
    five_days = an_offer("five", start=last_monday, end=need.end + timedelta(days=2))
    four_days = an_offer("four", start=last_monday + timedelta(days=1), end=five_days.end)

    assert suggested(need, five_days, arrival)
    assert not suggested(need, four_days, arrival)
    assert not suggested(need, an_offer("after", start=need.end + timedelta(days=3)), arrival)


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_distance_must_stay_within_the_needs_limit_unless_the_venue_is_mobile(
    arrival: str,
) -> None:
    leuven = an_offer("leuven", "3000")  # 45.7 km from Hasselt

    assert not suggested(a_need(), leuven, arrival)
    assert suggested(a_need(max_distance_km=50.0), leuven, arrival)
    assert suggested(a_need(), an_offer("mobile", "3000", venue="mobile"), arrival)


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_need_grades_must_meet_the_offers_eligible_grades(arrival: str) -> None:
    assert not suggested(a_need(), an_offer("g1", grades=frozenset({"G1", "G2"})), arrival)
    assert suggested(a_need(), an_offer("g2g3", grades=frozenset({"G2", "G3"})), arrival)
    assert suggested(a_need(), an_offer("any", grades=frozenset()), arrival)


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_field_must_be_related_or_the_offer_cross_domain(arrival: str) -> None:
    assert not suggested(a_need(), an_offer("care", field="zorg-welzijn"), arrival)
    assert suggested(a_need(), an_offer("mechanics", field="mechanica"), arrival)
    assert suggested(a_need(), an_offer("business", field="ondernemerschap"), arrival)
    assert suggested(a_need(), an_offer("general", field="algemeen"), arrival)


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_an_offer_limited_to_ten_days_never_serves_a_need_for_more(arrival: str) -> None:
    """The VDAB 10-day scheme: ``period.days`` of an offer is the most one school may book."""
    ten_day_scheme = an_offer("vdab", kind="infrastructure_access", days_limit=10)
    need = a_need(kind="infrastructure_access", days=15)

    assert not suggested(need, ten_day_scheme, arrival)
    assert suggested(replace(need, days=10), ten_day_scheme, arrival)
    assert suggested(need, replace(ten_day_scheme, days_limit=0), arrival)


def test_an_offers_period_days_is_its_limit_per_school() -> None:
    offer = offer_event(fresh_period(), "3600", "auto", "VDAB-opleidingscentrum")
    fields = fields_of("offer", offer.model_dump(mode="json"))

    [profile] = offer_profiles([(fields, 0)])

    assert profile.days_limit == 5  # the period's days
    assert offer_profiles([(fields._replace(days=None), 0)])[0].days_limit == 0


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_fully_booked_offer_is_never_suggested(arrival: str) -> None:
    assert not suggested(a_need(), an_offer("booked", capacity_left=0), arrival)
    assert suggested(a_need(), an_offer("one-left", capacity_left=1), arrival)


def test_withdrawn_or_expired_postings_are_never_suggested() -> None:
    matcher = Matcher(SETTINGS)
    matcher.register_offer(an_offer("withdrawn"))
    matcher.register_offer(an_offer("expired", end=NEED_START + timedelta(days=9)))
    matcher.register_offer(an_offer("open"))
    matcher.remove_offer("withdrawn", "offer_withdrawn")
    matcher.expire(NEED_START + timedelta(days=10))

    changes = matcher.register_need(a_need())

    assert [s.offer_id for s in changes.suggested] == ["open"]


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_a_public_holiday_is_no_day_in_common(arrival: str) -> None:
    # The week of Easter Monday holds four working days: a need of five finds too few in it.
    easter_monday = easter(NEED_START.year + 1) + timedelta(days=1)
    need = a_need(start=NEED_START, end=easter_monday + timedelta(days=25))
    easter_week = an_offer("easter", start=easter_monday, end=easter_monday + timedelta(days=6))

    assert not suggested(need, easter_week, arrival)
    assert suggested(replace(need, days=4), easter_week, arrival)
    assert suggested(need, replace(easter_week, start=easter_monday - timedelta(days=3)), arrival)


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_a_school_holiday_is_no_day_in_common_for_pupil_placements(arrival: str) -> None:
    """Pupils are not placed during the krokusvakantie; a teacher can work along then."""
    [krokus] = [h for h in school_holidays(NEED_START.year + 1) if h.name == "krokusvakantie"]
    window = {"start": krokus.first - timedelta(days=14), "end": krokus.last + timedelta(days=14)}
    placement = a_need(kind="pupil_placement", grades=frozenset({"G3"}), **window)
    holiday_week = an_offer("krokus", kind="pupil_placement", start=krokus.first, end=krokus.last)

    assert not suggested(placement, holiday_week, arrival)
    assert suggested(a_need(**window), replace(holiday_week, kind="teacher_internship"), arrival)
    week_before = replace(holiday_week, start=krokus.first - timedelta(days=7))
    assert suggested(placement, week_before, arrival)
