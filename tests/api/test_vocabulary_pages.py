"""``/beheer/termen``: an administrator adds and removes term pairs of the vocabulary, is told
in Dutch why a pair cannot be added, and adds or dismisses the pairs decisions propose; the page
of a match shows coordinators which terms both texts name."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher import terms
from services.matcher.store import MatcherStore, match_id
from services.matcher.tables import MatcherTermPair, MatchSuggestion
from services.matcher.term_proposals import MIN_ACCEPTED
from shared.contracts import NeedRegistered, OfferRegistered
from shared.taxonomy import kind_group
from tests.api.builders import PASSWORD, PROVIDERS, SCHOOLS, Accounts, browser
from tests.api.test_matches import provider_offer, school_need
from tests.matcher.events import fresh_period, need_event, offer_event
from tests.review.conftest import suggested_pairs

Db = async_sessionmaker[AsyncSession]
PAGE = "/beheer/termen"


@pytest.fixture
async def admin_browser(app: FastAPI, accounts: Accounts) -> AsyncIterator[httpx.AsyncClient]:
    """A signed-in administrator's browser, its CSRF token in ``headers['x-test-csrf']``."""
    admin = await accounts.create("admin")
    async with browser(app) as http:
        me = await http.post("/api/session", json={"email": admin.email, "password": PASSWORD})
        http.headers["x-test-csrf"] = me.json()["csrf_token"]
        yield http


@pytest.fixture
async def cleaned(db: Db) -> AsyncIterator[None]:
    """The pairs a test adds are taken out again afterwards."""
    async with db() as session:
        before = await session.scalar(select(MatcherTermPair.pair_id).order_by(
            MatcherTermPair.pair_id.desc()).limit(1)) or 0  # fmt: skip
    yield
    async with db.begin() as session:
        await session.execute(
            update(MatcherTermPair)
            .where(MatcherTermPair.pair_id > before, MatcherTermPair.removed_at.is_(None))
            .values(removed_at=datetime.now(UTC))
        )


def _form(http: httpx.AsyncClient, **fields: str) -> dict[str, str]:
    return {**fields, "csrf_token": http.headers["x-test-csrf"]}


async def test_an_administrator_adds_and_removes_a_pair(
    admin_browser: httpx.AsyncClient, db: Db, cleaned: None
) -> None:
    http = admin_browser
    term = f"boulangerie-{uuid.uuid4().hex[:6]}"
    added = await http.post(
        PAGE, data=_form(http, field="voeding", term=f" {term} ", other="<b>broodbakker</b>")
    )
    assert added.status_code == 303
    page = await http.get(PAGE)
    assert page.status_code == 200
    assert term in page.text and "&lt;b&gt;broodbakker&lt;/b&gt;" in page.text
    assert "<b>broodbakker" not in page.text
    async with db() as session:
        (pair,) = [p for p in await terms.added_pairs(session) if p.term == term]

    removed = await http.post(f"{PAGE}/{pair.pair_id}/verwijderen", data=_form(http))
    again = await http.post(f"{PAGE}/{pair.pair_id}/verwijderen", data=_form(http))

    assert removed.status_code == 303 and term not in (await http.get(PAGE)).text
    told = await http.get(again.headers["location"])
    assert "Dit paar staat niet (meer) in de woordenlijst." in told.text


@pytest.mark.parametrize(
    ("field", "term", "other", "said"),
    [
        (
            "elektriciteit",
            "PV",
            "zonnepanelen",
            "De woordenlijst leest “PV” en “zonnepanelen” al als hetzelfde.",
        ),
        ("elektriciteit", "PV", "HVAC", "Beide termen horen al bij een ander begrip"),
        ("geen-vakgebied", "boulangerie", "broodbakker", "Kies een vakgebied."),
        ("voeding", "---", "broodbakker", "Geef twee termen met letters of cijfers."),
    ],
)
async def test_a_pair_the_vocabulary_cannot_take_is_refused_in_dutch(
    admin_browser: httpx.AsyncClient, field: str, term: str, other: str, said: str
) -> None:
    http = admin_browser
    refused = await http.post(PAGE, data=_form(http, field=field, term=term, other=other))

    page = await http.get(refused.headers["location"])
    assert "Niet bewaard: " + said in page.text


async def test_only_administrators_open_or_change_the_vocabulary(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    for who in (
        await accounts.create("coordinator", region="Limburg"),
        await accounts.create("school", SCHOOLS[0]),
        await accounts.create("provider", PROVIDERS[0]),
    ):
        assert (await client.get(PAGE, headers=who.bearer)).status_code == 403
        posted = await client.post(
            PAGE, data={"field": "voeding", "term": "a", "other": "b"}, headers=who.bearer
        )
        assert posted.status_code == 403


async def test_terms_that_keep_coming_with_accepted_matches_are_proposed(
    admin_browser: httpx.AsyncClient, db: Db, cleaned: None
) -> None:
    http = admin_browser
    word = uuid.uuid4().hex[:5]
    bakery, baker, oven = f"bakkerij{word}", f"boulangerie{word}", f"oven{word}"
    for _ in range(MIN_ACCEPTED):
        await _decided(db, [bakery], [baker], "accepted")
    for _ in range(MIN_ACCEPTED):
        await _decided(db, [bakery], [oven], "accepted")
    await _decided(db, [bakery], [oven], "rejected")  # once rejected: never proposed
    await _decided(db, [f"taart{word}"], [baker], "accepted")  # too few

    page = (await http.get(PAGE)).text
    assert f"<td>{bakery}</td><td>{baker}</td><td>{MIN_ACCEPTED} keer</td>" in page
    assert oven not in page and f"taart{word}" not in page

    accepted = await http.post(PAGE, data=_form(http, field="auto", term=bakery, other=baker))
    assert accepted.status_code == 303
    page = (await http.get(PAGE)).text
    assert page.count(baker) == 1  # listed as added, no longer proposed

    await _decided(db, [f"deeg{word}"], [f"brood{word}"], "accepted", times=MIN_ACCEPTED)
    assert f"deeg{word}" in (await http.get(PAGE)).text
    dismissed = await http.post(
        f"{PAGE}/afwijzen",
        data=_form(http, field="auto", need_term=f"deeg{word}", offer_term=f"brood{word}"),
    )
    assert dismissed.status_code == 303 and f"deeg{word}" not in (await http.get(PAGE)).text
    unknown_field = await http.post(
        f"{PAGE}/afwijzen", data=_form(http, field="x", need_term=bakery, offer_term=oven)
    )
    assert "Kies een vakgebied." in (await http.get(unknown_field.headers["location"])).text


async def test_the_page_of_a_match_names_the_terms_both_texts_share_to_coordinators(
    client: httpx.AsyncClient, db: Db, accounts: Accounts
) -> None:
    need, offer = school_need(), provider_offer(capacity=1)  # EV-werkplaats, elektrische voertuigen
    (match,) = await suggested_pairs(db, [need], offer)
    await _store(db, need, offer)
    path = f"/matches/{match.match_id}"

    coordinator = await accounts.create("coordinator", region="Limburg")
    seen = await client.get(path, headers=coordinator.bearer)
    school = await client.get(path, headers=(await accounts.create("school", SCHOOLS[0])).bearer)

    assert "Gematchte termen" in seen.text and "elektrische voertuigen ~ EV" in seen.text
    assert school.status_code == 200 and "Gematchte termen" not in school.text


async def _store(db: Db, need: NeedRegistered, offer: OfferRegistered) -> None:
    """The postings as the matcher stored them."""
    async with db.begin() as session:
        await MatcherStore(session).save_postings(
            kind_group(need.kind),
            [
                ("need", need.need_id, need.version, need.status, need.model_dump(mode="json")),
                ("offer", offer.offer_id, offer.version, offer.status,
                 offer.model_dump(mode="json")),
            ],
        )  # fmt: skip


async def _decided(
    db: Db, need_terms: list[str], offer_terms: list[str], status: str, times: int = 1
) -> None:
    """``times`` pairs of a need and an offer with these keywords, decided ``status``."""
    period = fresh_period()
    for _ in range(times):
        need = need_event(period, keywords=need_terms)
        offer = offer_event(period, "3500", "auto", "Werkplaats").model_copy(
            update={"keywords": offer_terms}
        )
        await _store(db, need, offer)
        async with db.begin() as session:
            session.add(
                MatchSuggestion(
                    match_id=match_id(need.need_id, offer.offer_id),
                    kind_group=kind_group(need.kind), need_id=need.need_id,
                    offer_id=offer.offer_id, kind=need.kind, score=0.8, rank=1, distance_km=3.0,
                    rtc_region="Limburg", components={}, explanation="", status=status,
                    suggested_at=datetime.now(UTC),
                )
            )  # fmt: skip
