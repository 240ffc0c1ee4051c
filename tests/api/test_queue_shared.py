"""The queue's cards are remembered per API process and shared between the reviewers of a
region (``services/api/pages/queue_fragments.py``): what one coordinator decides shows on the
next request of another, each sees the forms with its own CSRF token, and another region's
coordinator never sees them."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.api.builders import Accounts, coordinator_browser
from tests.notifier import events
from tests.notifier.builders import unique
from tests.review.queue_world import Sessions, offer_in, register_offer, suggest


async def _world(db: Sessions) -> dict[str, Any]:
    """A Limburg school's need with two suggested offers."""
    run = unique("shared")
    offers = [offer_in("3600", f"Werkplaats {run} {n}") for n in (1, 2)]
    for offer in offers:
        await register_offer(db, offer)
    need = events.need("3500", quantity=2, school_name=f"Atheneum {run}")
    return {"run": run, "matches": await suggest(db, need, offers, km=12.0)}


@pytest.fixture
async def limburg(
    app: FastAPI, accounts: Accounts
) -> AsyncIterator[list[tuple[httpx.AsyncClient, str]]]:
    """Two coordinators of Limburg."""
    async with (
        coordinator_browser(app, accounts, "Limburg") as first,
        coordinator_browser(app, accounts, "Limburg") as second,
    ):
        yield [first, second]


async def test_a_decision_by_another_coordinator_shows_on_the_next_request(
    limburg: list[tuple[httpx.AsyncClient, str]], db: Sessions
) -> None:
    (http, csrf), (colleague, colleague_csrf) = limburg
    world = await _world(db)
    decided = world["matches"][0].match_id
    filters = {"status": "open", "school": world["run"]}
    decide = f'action="/beoordelen/{decided}/beslissing"'

    seen = await http.get("/beoordelen", params=filters)
    assert seen.status_code == 200 and decide in seen.text
    assert f'value="{csrf}"' in seen.text and colleague_csrf not in seen.text
    shared = await colleague.get("/beoordelen", params=filters)  # the same cards, its own token
    assert f'value="{colleague_csrf}"' in shared.text and csrf not in shared.text
    version = seen.text.split('data-version="', 1)[1].split('"', 1)[0]

    accepted = await colleague.post(
        f"/beoordelen/{decided}/beslissing",
        data={"csrf_token": colleague_csrf, "decision": "accepted", **filters},
    )
    assert accepted.status_code == 303

    again = await http.get("/beoordelen", params=filters)
    assert decide not in again.text  # no longer open: no decision form
    assert f'id="rv-a-{decided}"' in again.text  # under "Al aanvaard", revocable
    assert f'value="{csrf}"' in again.text and colleague_csrf not in again.text
    polled = await http.get("/beoordelen/lijst", params={**filters, "versie": version})
    assert polled.status_code == 200 and decide not in polled.text


async def test_another_regions_coordinator_never_sees_the_remembered_cards(
    app: FastAPI, accounts: Accounts, limburg: list[tuple[httpx.AsyncClient, str]], db: Sessions
) -> None:
    (http, _), _ = limburg
    world = await _world(db)
    filters = {"status": "open", "school": world["run"]}
    seen = await http.get("/beoordelen", params=filters)
    assert world["run"] in seen.text and world["matches"][0].match_id in seen.text

    async with coordinator_browser(app, accounts, "Antwerpen") as (antwerp, _):
        other = await antwerp.get("/beoordelen", params=filters)
    assert other.status_code == 200
    assert world["matches"][0].match_id not in other.text
    assert "Geen voorstellen die aan de filters voldoen." in other.text
