"""The public catalogue: open offers only, no contact data, filters, a text search that takes
any text as words, and cursor pages."""

import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.builders import (
    PASSWORD,
    PROVIDERS,
    Account,
    Accounts,
    browser,
    offer_body,
    registered_name,
    wait_for_status,
)


@pytest.fixture(scope="module")
async def provider(accounts: Accounts) -> Account:
    return await accounts.create("provider", PROVIDERS[0])


@pytest.fixture(scope="module")
async def run(client: httpx.AsyncClient, provider: Account, intake: None) -> str:
    """A word in the title of every offer of this module; four registered offers, one withdrawn."""
    word = f"cat{uuid.uuid4().hex[:8]}"
    offers = {
        "limburg-auto": offer_body(PROVIDERS[0], title=f"{word} EV-werkplaats", grades=["G3"]),
        "antwerpen-ict": offer_body(
            PROVIDERS[0],
            title=f"{word} 100%_korting netwerken",
            field="ict",
            grades=["G1", "G2"],
            kind="guest_expert",
            provider={**offer_body(PROVIDERS[0])["provider"], "postal_code": "2000"},
        ),
        "any-grade": offer_body(PROVIDERS[0], title=f"{word} open voor iedereen", grades=[]),
        "withdrawn": offer_body(PROVIDERS[0], title=f"{word} ingetrokken"),
    }
    for name, body in offers.items():
        body["offer_id"] = f"{word}-{name}"
        posted = await client.post("/api/offers", json=body, headers=provider.bearer)
        await wait_for_status(client, posted.json()["status_url"], provider.bearer, {"open"})
    await client.delete(f"/api/offers/{word}-withdrawn", headers=provider.bearer)
    await wait_for_status(client, f"/api/offers/{word}-withdrawn", provider.bearer, {"withdrawn"})
    return word


async def search(client: httpx.AsyncClient, run: str, **params: Any) -> list[str]:
    """The names of this module's offers the catalogue finds for ``params``."""
    answer = await client.get("/api/catalogue", params={"q": run, **params})
    assert answer.status_code == 200, answer.text
    return sorted(item["offer_id"].removeprefix(f"{run}-") for item in answer.json()["items"])


async def test_the_catalogue_is_public_and_shows_no_contact_data(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession], provider: Account, run: str
) -> None:
    answer = (await client.get("/api/catalogue", params={"q": run})).json()
    assert answer["total"] == 3
    item = next(i for i in answer["items"] if i["offer_id"].endswith("limburg-auto"))
    # the registered name of the provider, whatever name the body gave
    assert item["provider"] == {"name": await registered_name(db, provider), "type": "company"}
    assert (item["locality"], item["rtc_region"]) == ("Genk", "Limburg")
    assert "contact" not in item and "jan.claes" not in str(answer)
    assert "enterprise_number" not in str(answer)


async def test_filters_combine(client: httpx.AsyncClient, run: str) -> None:
    assert await search(client, run, region="Antwerpen") == ["antwerpen-ict"]
    assert await search(client, run, field="ict") == ["antwerpen-ict"]
    assert await search(client, run, kind="guest_expert") == ["antwerpen-ict"]
    # An offer without grades is open to every grade.
    assert await search(client, run, grade="G1") == ["antwerpen-ict", "any-grade"]
    assert await search(client, run, region="Limburg", grade="G3") == [
        "any-grade",
        "limburg-auto",
    ]


async def test_text_search_takes_wildcards_quotes_and_code_as_words(
    client: httpx.AsyncClient, run: str
) -> None:
    wildcards = await client.get("/api/catalogue", params={"q": f"{run} 100%_korting"})
    assert [i["title"] for i in wildcards.json()["items"]] == [f"{run} 100%_korting netwerken"]
    for text in (f"{run} '; drop table offers; --", f"{run} <script>alert(1)</script>"):
        answer = await client.get("/api/catalogue", params={"q": text})
        assert (answer.status_code, answer.json()["total"]) == (200, 0), text
    # whole words, not letters inside them
    assert await search(client, run, q=f"{run} iedereen") == ["any-grade"]
    assert await search(client, run, q=f"{run} eder") == []


async def test_next_and_previous_walk_every_offer_once(client: httpx.AsyncClient, run: str) -> None:
    first = (await client.get("/api/catalogue", params={"q": run, "page_size": 2})).json()
    assert (first["total"], first["total_exact"], first["previous"]) == (3, True, None)
    second = await client.get(
        "/api/catalogue", params={"q": run, "page_size": 2, "after": first["next"]}
    )
    last = second.json()
    assert last["next"] is None
    seen = [i["offer_id"] for i in first["items"] + last["items"]]
    assert sorted(seen) == sorted(
        f"{run}-{name}" for name in ("limburg-auto", "antwerpen-ict", "any-grade")
    )
    back = await client.get(
        "/api/catalogue", params={"q": run, "page_size": 2, "before": last["previous"]}
    )
    assert back.json()["items"] == first["items"]
    # a cursor of a browse is none of a search
    bad = await client.get("/api/catalogue", params={"q": run, "after": "2027-01-01~x"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "after")


async def test_bad_filters_are_422_and_page_size_is_capped(client: httpx.AsyncClient) -> None:
    for params in (
        {"region": "Wallonië"},
        {"grade": "G9"},
        {"field": "kernfysica"},
        {"page_size": 500},
    ):
        answer = await client.get("/api/catalogue", params=params)
        assert answer.status_code == 422, params
        assert answer.json()["errors"][0]["field"] == next(iter(params))


async def test_a_page_seen_before_shows_an_offer_withdrawn_since(
    client: httpx.AsyncClient, provider: Account, intake: None
) -> None:
    """Pages are remembered until an offer changes: the same search asked again after a
    withdrawal no longer finds it, nor counts it."""
    word = f"mem{uuid.uuid4().hex[:8]}"
    for name in ("kept", "gone"):
        body = offer_body(PROVIDERS[0], title=f"{word} werkplaats")
        body["offer_id"] = f"{word}-{name}"
        posted = await client.post("/api/offers", json=body, headers=provider.bearer)
        await wait_for_status(client, posted.json()["status_url"], provider.bearer, {"open"})
    before = (await client.get("/api/catalogue", params={"q": word})).json()
    assert before == (await client.get("/api/catalogue", params={"q": word})).json()
    assert before["total"] == 2
    await client.delete(f"/api/offers/{word}-gone", headers=provider.bearer)
    await wait_for_status(client, f"/api/offers/{word}-gone", provider.bearer, {"withdrawn"})
    assert await search(client, word) == ["kept"]
    after = (await client.get("/api/catalogue", params={"q": word})).json()
    assert (after["total"], after["total_exact"]) == (1, True)


async def test_the_page_shares_its_results_not_what_each_asked_nor_who(
    app: FastAPI, client: httpx.AsyncClient, accounts: Accounts, run: str
) -> None:
    """The search form and its results are rendered once per page of the catalogue and what
    was asked: the same results asked differently echo each one's own words and choices, the
    htmx answer is the results alone, and nothing of a signed-in visitor reaches another."""
    coordinator = await accounts.create("coordinator", region="Limburg")
    signed_in = browser(app)
    await signed_in.post("/api/session", json={"email": coordinator.email, "password": PASSWORD})
    mine = await signed_in.get("/catalogus", params={"q": run})
    theirs = await client.get("/catalogus", params={"q": f"  {run} ", "regio": "Mars"})
    await signed_in.aclose()

    assert "Afmelden" in mine.text and 'name="csrf-token"' in mine.text
    assert "Afmelden" not in theirs.text and 'name="csrf-token"' not in theirs.text
    assert f'value="  {run} "' in theirs.text and f'value="{run}"' in mine.text
    assert _titles(mine.text) == _titles(theirs.text) and len(_titles(mine.text)) == 3
    results = await client.get("/catalogus", params={"q": run}, headers={"HX-Request": "true"})
    assert results.text.startswith('<section id="resultaten"')
    assert _titles(results.text) == _titles(mine.text)


def _titles(page: str) -> list[str]:
    return re.findall(r"<h3>([^<]*)</h3>", page)
