"""The living demo: new postings are valid contract events that intake takes, dated from today;
the simulated coordinator decides only rank-1 suggestions, the same way every time."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from services.demo import living, logins, world
from services.intake.inbound import Record, classify
from shared.contracts import MatchDecided, MatchSuggested, NeedSubmitted, OfferSubmitted
from shared.contracts.matches import ReasonCode
from shared.taxonomy import places
from tests.builders import today

TODAY = today()
NOW = datetime.now(UTC)


def postings(run: str = "r1", count: int = 40) -> list[NeedSubmitted | OfferSubmitted]:
    rng = random.Random(run)
    return [living.new_posting(rng, TODAY, run, number) for number in range(1, count + 1)]


def test_new_postings_are_valid_contract_events_that_intake_accepts() -> None:
    for offset, event in enumerate(postings()):
        topic, key = living.topic_and_key(event)
        outcome = classify(Record(topic, 0, offset, key, living.body(event)), 1_000_000, NOW)
        assert outcome.command == event, outcome.rejected


def test_new_postings_alternate_and_their_periods_start_soon_after_today() -> None:
    events = postings()
    assert Counter(type(event) for event in events) == {NeedSubmitted: 20, OfferSubmitted: 20}
    _, last = world.school_year(TODAY)
    soon, latest = TODAY + timedelta(weeks=1), TODAY + timedelta(weeks=5)
    for event in events:
        assert soon <= event.period.start <= event.period.end
        if isinstance(event, OfferSubmitted):
            assert event.period.start <= latest and event.period.end == last
        else:
            assert event.period.end <= latest.replace(year=latest.year + 1)


def test_new_postings_have_fresh_ids_and_follow_the_seed() -> None:
    first, again, other = postings("r1"), postings("r1"), postings("r2")
    ids = [living.topic_and_key(event)[1] for event in first]
    world_ids = {n.need_id for n in world.needs(TODAY)} | {o.offer_id for o in world.offers(TODAY)}
    assert len(set(ids)) == len(ids) and not set(ids) & world_ids
    assert not set(ids) & {living.topic_and_key(event)[1] for event in other}
    assert [e.model_dump(exclude={"event_id"}) for e in first] == [
        e.model_dump(exclude={"event_id"}) for e in again
    ]


def test_new_needs_come_from_the_world_s_schools() -> None:
    numbers = {need.school.name: need.school.institution_number for need in world.needs(TODAY)}
    needs = [event for event in postings() if isinstance(event, NeedSubmitted)]
    assert all(numbers[need.school.name] == need.school.institution_number for need in needs)


def test_nothing_is_posted_in_the_name_of_the_school_one_signs_in_as() -> None:
    (school,) = [login for login in logins.logins(TODAY) if login.role == "school"]
    needs = [e for e in postings(count=400) if isinstance(e, NeedSubmitted)]
    assert len({need.school.name for need in needs}) > 10
    assert all(need.school.institution_number != school.value for need in needs)


def suggestion(
    match_id: str, rank: int = 1, region: str = "Limburg", **scores: float
) -> MatchSuggested:
    components = {"distance": 0.9, "field": 0.9, "grade": 1.0, "period": 0.9, "text": 0.5}
    return MatchSuggested.model_validate(
        {
            "event_id": "6f1c4d0e-1b7a-4d55-9a43-2f1a8f0a9d11",
            "match_id": match_id,
            "need_id": "n",
            "offer_id": "o",
            "kind": "teacher_internship",
            "score": 0.8,
            "rank": rank,
            "distance_km": 12.0,
            "rtc_region": region,
            "components": components | scores,
            "explanation": "",
            "suggested_at": NOW.isoformat(),
        }
    )


def test_the_coordinator_accepts_about_half_of_the_rank_1_suggestions_and_rejects_some() -> None:
    decisions = [living.simulated_decision(suggestion(f"m-{n}"), NOW) for n in range(1000)]
    # as the demo login of the suggestion's region, so the notifier takes the decision
    (limburg,) = [
        login.email for login in logins.logins(today())
        if (login.role, login.value) == ("coordinator", "Limburg")
    ]  # fmt: skip
    counted = Counter(decided.decision if decided else None for decided in decisions)
    assert 400 < counted["accepted"] < 600 and 100 < counted["rejected"] < 300
    assert counted[None] > 150
    for decided in filter(None, decisions):
        assert MatchDecided.model_validate_json(living.body(decided)) == decided
        assert decided.decided_by == limburg and decided.decided_at == NOW
        assert (decided.reason_code is None) == (decided.decision == "accepted")


def test_the_coordinator_leaves_the_signed_in_school_s_region_to_the_people() -> None:
    (school,) = [login for login in logins.logins(TODAY) if login.role == "school"]
    region = world_region(school.value)
    assert region == logins.people_region() and region != "Limburg"
    assert all(
        living.simulated_decision(suggestion(f"m-{n}", region=region), NOW) is None
        for n in range(500)
    )


def world_region(institution_number: str) -> str:
    """The RTC region of the demo world's school with ``institution_number``."""
    need = next(n for n in world.needs(TODAY) if n.school.institution_number == institution_number)
    return places()[need.school.postal_code].rtc_region


def test_the_coordinator_leaves_lower_ranks_alone_and_decides_the_same_way_again() -> None:
    assert all(
        living.simulated_decision(suggestion(f"m-{n}", rank=2), NOW) is None for n in range(200)
    )
    first = [living.simulated_decision(suggestion(f"m-{n}"), NOW) for n in range(50)]
    again = [living.simulated_decision(suggestion(f"m-{n}"), NOW) for n in range(50)]
    assert [d and (d.decision, d.reason_code) for d in first] == [
        d and (d.decision, d.reason_code) for d in again
    ]


@pytest.mark.parametrize(
    ("scores", "code"),
    [
        ({"distance": 0.1}, "too_far"),
        ({"field": 0.2, "distance": 0.4}, "wrong_field"),
        ({"period": 0.0}, "dates"),
        ({}, "quality"),
    ],
)
def test_a_rejection_names_the_weakest_score(scores: dict[str, float], code: ReasonCode) -> None:
    rejected = next(
        decided
        for n in range(1000)
        if (decided := living.simulated_decision(suggestion(f"m-{n}", **scores), NOW))
        and decided.decision == "rejected"
    )
    assert rejected.reason_code == code and rejected.reason == living.REASONS[code]


def test_logins_have_one_coordinator_per_region_a_school_and_a_provider_of_the_world() -> None:
    rows = logins.logins(TODAY)
    assert [row.role for row in rows].count("coordinator") == 5
    assert {row.role for row in rows} == {"coordinator", "school", "provider", "admin"}
    school = next(row for row in rows if row.role == "school")
    provider = next(row for row in rows if row.role == "provider")
    assert school.value in {need.school.institution_number for need in world.needs(TODAY)}
    assert provider.value in {o.provider.enterprise_number for o in world.offers(TODAY)}
    assert len({row.email for row in rows}) == len(rows)
    assert all("\t" not in field for row in rows for field in row)
    assert logins.tab_separated(rows).count("\n") == len(rows) - 1


def test_dates_are_relative_to_the_day_given() -> None:
    day = date(TODAY.year + 3, 3, 10)
    need, offer = (living.new_posting(random.Random(1), day, "r", n) for n in (1, 2))
    assert day < need.period.start <= need.period.end <= date(TODAY.year + 4, 4, 14)
    assert day < offer.period.start <= day + timedelta(weeks=5)
