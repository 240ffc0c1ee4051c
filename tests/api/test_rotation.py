"""``/api/offers/{id}/rotation`` and ``/rotatie/{id}``: one diagnose car asked by three schools
of Limburg, the best-scored one in the middle of the year. The plan lends it to the autumn and
the spring school (two served, not one); the coordinator accepts it in one go or pair by pair
through the ordinary decisions; the provider reads it; anyone else finds no such offer."""

import re
from contextlib import AsyncExitStack
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI

from services.api.pages.dashboard import rotation_year
from services.review.tables import ReviewMatch
from shared.contracts import MatchSuggested, NeedRegistered, OfferRegistered, Period
from tests.api.builders import Account, Accounts
from tests.builders import today
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs

YEAR = today().year + 1  # a school year that has not begun
SCHOOL_YEAR = Period(start=date(YEAR, 9, 1), end=date(YEAR + 1, 6, 30))
AUTUMN = Period(start=date(YEAR, 9, 1), end=date(YEAR + 1, 1, 31))
WINTER = Period(start=date(YEAR + 1, 1, 1), end=date(YEAR + 1, 3, 31))
SPRING = Period(start=date(YEAR + 1, 2, 16), end=date(YEAR + 1, 6, 30))


def diagnose_car() -> OfferRegistered:
    offer = events.offer(capacity=1, provider_name="Diagnose Car")
    update = {"kind": "equipment_loan", "period": SCHOOL_YEAR, "turnaround_days": 14}
    return offer.model_copy(update=update)


def school(period: Period, name: str) -> NeedRegistered:
    need = events.need(kind="equipment_loan", school_name=name)
    return need.model_copy(update={"period": period})


async def rotation(db: Sessions) -> tuple[OfferRegistered, dict[str, MatchSuggested]]:
    """The car and its three suggestions, the winter school's scored best."""
    car = diagnose_car()
    names = {"autumn": "VTI <Hasselt>", "winter": "KTA Genk", "spring": "GO! Tongeren"}
    periods = {"autumn": AUTUMN, "winter": WINTER, "spring": SPRING}
    needs = {key: school(periods[key], name) for key, name in names.items()}
    suggested = await suggested_pairs(db, list(needs.values()), car)
    matches = dict(zip(needs, suggested, strict=True))
    async with db.begin() as session:
        for key, score in (("autumn", 0.6), ("winter", 0.95), ("spring", 0.7)):
            match = await session.get(ReviewMatch, matches[key].match_id)
            assert match is not None
            match.score = score
    return car, matches


@pytest.fixture
async def limburg(accounts: Accounts) -> Account:
    return await accounts.create("coordinator", region="Limburg")


async def test_the_plan_lends_the_car_to_two_schools_and_its_provider_reads_it(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts, limburg: Account
) -> None:
    car, matches = await rotation(db)
    provider = await accounts.create("provider", car.provider.enterprise_number)

    seen = await client.get(f"/api/offers/{car.offer_id}/rotation", headers=limburg.bearer)
    read = await client.get(f"/api/offers/{car.offer_id}/rotation", headers=provider.bearer)
    page = await client.get(f"/rotatie/{car.offer_id}", headers=provider.bearer)

    assert seen.status_code == 200 and read.status_code == 200
    plan = seen.json()
    assert [bar["match_id"] for bar in plan["planned"]] == [
        matches["autumn"].match_id,
        matches["spring"].match_id,
    ]
    assert [(b["first"], b["last"], b["rows"]) for b in plan["planned"]] == [
        (AUTUMN.start.isoformat(), AUTUMN.end.isoformat(), [0]),
        (SPRING.start.isoformat(), SPRING.end.isoformat(), [0]),
    ]
    assert (plan["served"], plan["requests"]) == (2, 3)
    assert read.json()["planned"] == plan["planned"]
    assert page.status_code == 200 and "VTI &lt;Hasselt&gt;" in page.text  # text is data
    assert "Heel het plan aanvaarden" not in page.text  # the provider reads, never decides
    assert "<svg" in page.text and 'role="img"' in page.text and "<table" in page.text


async def test_another_organisation_or_region_finds_no_such_offer(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts
) -> None:
    car, _ = await rotation(db)
    other_provider = await accounts.create("provider", events.offer().provider.enterprise_number)
    antwerpen = await accounts.create("coordinator", region="Antwerpen")
    a_school = await accounts.create("school", "048561")
    path = f"/api/offers/{car.offer_id}/rotation"

    answers = [
        (await client.get(path, headers=other_provider.bearer)).status_code,
        (await client.get(path, headers=antwerpen.bearer)).status_code,
        (await client.post(f"{path}/accept", json={}, headers=antwerpen.bearer)).status_code,
        (await client.get(f"/rotatie/{car.offer_id}", headers=antwerpen.bearer)).status_code,
        (
            await client.get("/api/offers/no-such-offer/rotation", headers=antwerpen.bearer)
        ).status_code,
        (await client.get(path, headers=a_school.bearer)).status_code,
        (await client.post(f"{path}/accept", json={}, headers=other_provider.bearer)).status_code,
    ]

    assert answers == [404, 404, 404, 404, 404, 403, 403]


async def test_accepting_the_whole_plan_books_what_it_showed(
    client: httpx.AsyncClient, db: Sessions, limburg: Account
) -> None:
    car, matches = await rotation(db)
    path = f"/api/offers/{car.offer_id}/rotation"
    shown = (await client.get(path, headers=limburg.bearer)).json()["planned"]

    accepted = await client.post(f"{path}/accept", json={}, headers=limburg.bearer)
    after = (await client.get(path, headers=limburg.bearer)).json()

    outcomes = accepted.json()["outcomes"]
    assert [(o["match_id"], o["accepted"], o["units"]) for o in outcomes] == [
        (matches["autumn"].match_id, True, 1),
        (matches["spring"].match_id, True, 1),
    ]
    booked = {bar["match_id"]: (bar["first"], bar["last"]) for bar in after["timeline"]["bars"]}
    assert booked == {bar["match_id"]: (bar["first"], bar["last"]) for bar in shown}
    assert after["planned"] == [] and after["requests"] == 1  # winter stays open, with no room
    winter = await client.post(
        f"/api/matches/{matches['winter'].match_id}/decision",
        json={"decision": "accepted"},
        headers=limburg.bearer,
    )
    assert winter.status_code == 409  # the ordinary rule agrees: the car is out all winter


async def test_pair_by_pair_the_next_pair_is_planned_again_and_a_refusal_is_reported(
    client: httpx.AsyncClient, db: Sessions, limburg: Account
) -> None:
    car, matches = await rotation(db)
    path = f"/api/offers/{car.offer_id}/rotation/accept"
    spring = {"match_ids": [matches["spring"].match_id]}

    first = await client.post(path, json=spring, headers=limburg.bearer)
    again = await client.post(path, json=spring, headers=limburg.bearer)
    foreign = await client.post(
        path,
        json={"match_ids": [(await rotation(db))[1]["autumn"].match_id]},
        headers=limburg.bearer,
    )
    page = await client.post(
        f"/rotatie/{car.offer_id}",
        data={"match_id": matches["autumn"].match_id},
        headers=limburg.bearer,
    )

    assert first.json()["outcomes"][0]["accepted"] is True
    assert again.json()["outcomes"][0]["code"] == "already_decided"
    assert foreign.json()["outcomes"][0]["code"] == "unknown_match"  # another offer's pair
    assert page.status_code == 200 and "Aanvaard (1)" in page.text
    async with db() as session:
        autumn = await session.get(ReviewMatch, matches["autumn"].match_id)
    assert autumn is not None and (autumn.booked_from, autumn.booked_until) == (
        AUTUMN.start,
        AUTUMN.end,
    )
    assert autumn.booked_until + timedelta(days=15) <= SPRING.start  # turnaround kept


async def test_the_dashboard_shows_the_years_rotations_of_the_region(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts, limburg: Account
) -> None:
    year = rotation_year(today())
    halves = (
        Period(start=year.first, end=year.first + timedelta(days=150)),
        Period(start=year.first + timedelta(days=170), end=year.last),
    )
    car = diagnose_car().model_copy(
        update={
            "title": "Diagnosewagen <dit jaar>",
            "period": Period(start=year.first, end=year.last),
        }
    )
    autumn, spring = await suggested_pairs(
        db, [school(halves[0], "VTI Hasselt"), school(halves[1], "GO! Tongeren")], car
    )
    path = f"/api/offers/{car.offer_id}/rotation/accept"
    await client.post(path, json={}, headers=limburg.bearer)

    page = await client.get("/dashboard", headers=limburg.bearer)
    antwerpen = await accounts.create("coordinator", region="Antwerpen")
    elsewhere = await client.get("/dashboard", headers=antwerpen.bearer)

    assert page.status_code == 200 and "Rotaties: dit schooljaar" in page.text
    assert "Diagnosewagen &lt;dit jaar&gt;" in page.text
    for match in (autumn, spring):
        assert f'data-match-id="{match.match_id}"' in page.text
    assert elsewhere.status_code == 200 and car.offer_id not in elsewhere.text


async def test_the_timeline_shows_each_loans_step_and_drops_one_cancelled_before_it_began(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts, limburg: Account
) -> None:
    car, matches = await rotation(db)
    provider = await accounts.create("provider", car.provider.enterprise_number)
    path = f"/api/offers/{car.offer_id}/rotation"
    await client.post(f"{path}/accept", json={}, headers=limburg.bearer)
    autumn, spring = matches["autumn"].match_id, matches["spring"].match_id

    steps = [
        await client.post(f"/api/matches/{match_id}/steps", json=body, headers=provider.bearer)
        for match_id, body in (
            (autumn, {"step": "dates_agreed"}),
            (spring, {"step": "cancelled", "reason": "De wagen is total loss"}),
        )
    ]
    bars = (await client.get(path, headers=provider.bearer)).json()["timeline"]["bars"]
    page = await client.get(f"/rotatie/{car.offer_id}", headers=provider.bearer)

    assert [answer.status_code for answer in steps] == [200, 200]
    assert [(bar["match_id"], bar["step"]) for bar in bars] == [(autumn, "dates_agreed")]
    row = re.search(rf'<tr data-match-id="{autumn}">.*?</tr>', page.text, re.DOTALL)
    assert page.status_code == 200 and row is not None and "data afgesproken" in row.group()
    assert f'<tr data-match-id="{spring}">' not in page.text


async def test_a_plan_beyond_the_rounds_the_process_computes_at_once_answers_503(
    app: FastAPI, client: httpx.AsyncClient, db: Sessions, limburg: Account
) -> None:
    car, _ = await rotation(db)
    context = app.state.context
    async with AsyncExitStack() as taken:
        for _ in range(context.settings.rounds_at_once):
            await taken.enter_async_context(context.round_slots.slot())  # rounds being solved
        api = await client.get(f"/api/offers/{car.offer_id}/rotation", headers=limburg.bearer)
        page = await client.get(f"/rotatie/{car.offer_id}", headers=limburg.bearer)
    after = await client.get(f"/api/offers/{car.offer_id}/rotation", headers=limburg.bearer)

    assert (api.status_code, page.status_code) == (503, 503)
    assert int(api.headers["Retry-After"]) > 0 and "rotatieplannen" in page.text
    assert after.status_code == 200 and after.json()["served"] == 2
