"""A school's and a provider's own pages are remembered per API process until the version of
the organisation's postings moves (``services/api/pages/own_fragments.py``,
``shared/own_versions.py``): every change they show is on the next request, whoever made it
(the API, intake, the review), and one organisation never sees another's."""

import asyncio
import re
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from services.intake.service import IntakeService
from services.intake.tables import NeedRow
from services.review.actors import Actor
from services.review.decisions import revoke
from services.review.known_postings import store_offer
from shared.contracts import NeedRegistered, OfferRegistered
from tests.api.builders import Account, Accounts, coordinator_browser, need_body, signed_in
from tests.notifier import events
from tests.notifier.builders import unique
from tests.review.queue_world import Sessions, intake_row, offer_in, register_offer, suggest
from tests.web.world import institution_number


def status_of(page: str, posting_id: str) -> str:
    """The status badge of ``posting_id`` on an own page."""
    card = page.split(f'data-posting-id="{posting_id}"', 1)[1]
    found = re.search(r'class="badge status-([a-z]+)"', card)
    assert found is not None
    return found.group(1)


async def posted_and_open(
    http: httpx.AsyncClient, client: httpx.AsyncClient, school: Account
) -> str:
    """A need of ``school`` posted over the API, once intake has registered it (the page asked
    until it shows it open); its id."""
    need_id = unique("own-need")
    posted = await client.post(
        "/api/needs", json=need_body(school.number or "", need_id=need_id), headers=school.bearer
    )
    assert posted.status_code == 202, posted.text
    seen = await http.get("/school")  # the API's submission: on the next request
    assert status_of(seen.text, need_id) == "submitted"
    for _ in range(240):
        seen = await http.get("/school")
        if status_of(seen.text, need_id) == "open":
            return need_id
        await asyncio.sleep(0.25)
    raise AssertionError(f"{need_id} never showed open")


def in_review(need_id: str, school: Account) -> NeedRegistered:
    """The review's copy of the school's need ``need_id``."""
    need = events.need("3500")
    return need.model_copy(
        update={
            "need_id": need_id,
            "school": need.school.model_copy(update={"institution_number": school.number}),
        }
    )


@pytest.fixture
async def school(accounts: Accounts) -> Account:
    return await accounts.create("school", institution_number())


async def test_a_schools_page_shows_each_change_on_the_next_request(
    app: FastAPI,
    client: httpx.AsyncClient,
    accounts: Accounts,
    db: Sessions,
    school: Account,
    intake: None,
) -> None:
    async with signed_in(app, school) as (http, _):
        need_id = await posted_and_open(http, client, school)
        assert "data-match-id" not in (await http.get("/school")).text  # remembered now

        offer = offer_in("3600", f"Werkplaats {unique('titel')}")
        await register_offer(db, offer)
        [match] = await suggest(db, in_review(need_id, school), [offer])  # the review's change
        seen = (await http.get("/school")).text
        assert f'data-match-id="{match.match_id}"' in seen and offer.title in seen

        renamed = offer.model_copy(update={"title": f"Hernoemd {unique('titel')}", "version": 2})
        async with db.begin() as session:  # the other side of the match changes
            await store_offer(session, renamed)
        assert renamed.title in (await http.get("/school")).text

        async with coordinator_browser(app, accounts, "Limburg") as (coordinator, csrf):
            decided = await coordinator.post(
                f"/beoordelen/{match.match_id}/beslissing",
                data={"csrf_token": csrf, "decision": "accepted"},
            )
            assert decided.status_code == 303
        assert f'href="/matches/{match.match_id}"' in (await http.get("/school")).text

        async with db.begin() as session:  # a cancellation
            await revoke(session, match.match_id, "school gesloten", Actor.admin("admin@x"))
        assert f'href="/matches/{match.match_id}"' not in (await http.get("/school")).text

        async with db.begin() as session:  # its period ends (set aside: no page shows it yet)
            past = date.today() - timedelta(days=1)
            await session.execute(
                update(NeedRow).where(NeedRow.need_id == need_id).values(period_end=past)
            )
        assert status_of((await http.get("/school")).text, need_id) == "open"
        await IntakeService(db, 1_000_000).expire(batch_size=100_000)  # intake's change
        assert status_of((await http.get("/school")).text, need_id) == "expired"


async def test_a_withdrawal_shows_on_the_next_request_on_the_page_and_in_the_api(
    app: FastAPI, client: httpx.AsyncClient, school: Account, intake: None
) -> None:
    async with signed_in(app, school) as (http, csrf):
        need_id = await posted_and_open(http, client, school)
        await http.get("/school")  # remembered
        for _ in range(2):  # rendered, then remembered
            listed = await client.get("/api/needs", headers=school.bearer)
            assert listed.json()["items"][0]["status"] == "open"
        withdrawn = await http.post(
            f"/school/behoeften/{need_id}/intrekken", data={"csrf_token": csrf}
        )
        assert withdrawn.status_code == 303, withdrawn.text
        # the next request no longer shows it open: submitted until intake applies the withdrawal
        # (which it may already have done), then withdrawn
        assert status_of((await http.get("/school")).text, need_id) in {"submitted", "withdrawn"}
        listed = (await client.get("/api/needs", headers=school.bearer)).json()["items"][0]
        assert listed["need_id"] == need_id
        assert listed["status"] in {"submitted", "withdrawn"}
        for _ in range(240):  # intake's change shows on the page and in the API
            page = (await http.get("/school")).text
            listed = (await client.get("/api/needs", headers=school.bearer)).json()["items"][0]
            if status_of(page, need_id) == listed["status"] == "withdrawn":
                return
            await asyncio.sleep(0.25)
        raise AssertionError(f"{need_id} never showed withdrawn")


async def test_a_providers_page_shows_a_suggestion_and_a_decision_on_the_next_request(
    app: FastAPI, accounts: Accounts, db: Sessions
) -> None:
    offer = offer_in("3600", f"Werkplaats {unique('titel')}")
    await register_offer(db, offer)
    provider = await accounts.create("provider", offer.provider.enterprise_number)
    async with signed_in(app, provider) as (http, _):
        first = (await http.get("/aanbieder")).text
        assert status_of(first, offer.offer_id) == "open" and "data-match-id" not in first
        assert "data-match-id" not in (await http.get("/aanbieder")).text  # remembered

        need = events.need("3500", school_name=f"Atheneum {unique('school')}")
        [match] = await suggest(db, need, [offer])
        seen = (await http.get("/aanbieder")).text
        assert f'data-match-id="{match.match_id}"' in seen and need.school.name in seen

        async with coordinator_browser(app, accounts, "Limburg") as (coordinator, csrf):
            await coordinator.post(
                f"/beoordelen/{match.match_id}/beslissing",
                data={"csrf_token": csrf, "decision": "accepted"},
            )
        assert f'href="/matches/{match.match_id}"' in (await http.get("/aanbieder")).text


async def stored_before_any_version(db: Sessions, offer: OfferRegistered) -> None:
    """``offer`` as intake stored it before the own versions were (nothing drew its owner's)."""
    async with db.begin() as session:
        session.add(intake_row(offer))


async def test_two_organisations_never_share_a_remembered_page(
    app: FastAPI, accounts: Accounts, db: Sessions
) -> None:
    own, theirs = (offer_in("3600", f"Werkplaats {unique('titel')}") for _ in range(2))
    for offer in (own, theirs):
        await stored_before_any_version(db, offer)
    provider = await accounts.create("provider", own.provider.enterprise_number)
    other = await accounts.create("provider", theirs.provider.enterprise_number)
    colleague = await accounts.create("provider", own.provider.enterprise_number)
    async with (
        signed_in(app, provider) as (http, csrf),
        signed_in(app, other) as (other_http, other_csrf),
        signed_in(app, colleague) as (colleague_http, colleague_csrf),
    ):
        for _ in range(2):  # rendered, then remembered
            mine = (await http.get("/aanbieder")).text
            assert own.offer_id in mine and theirs.offer_id not in mine
            assert f'value="{csrf}"' in mine and other_csrf not in mine
            seen = (await other_http.get("/aanbieder")).text
            assert theirs.offer_id in seen and own.offer_id not in seen and csrf not in seen
        shared = (await colleague_http.get("/aanbieder")).text  # the same list, its own token
        assert own.offer_id in shared and f'value="{colleague_csrf}"' in shared
        assert csrf not in shared
