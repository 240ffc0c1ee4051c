"""The coordinator's queue as a browser asks for it: filters in the address (a bookmark, Back),
the school by part of its name with suggestions, each offer's place and a delivered offer's
distance, plain Dutch labels, and a message after a decision that names the pair, with the
acceptance revocable where it is shown. Everything a posting says is escaped."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI

from tests.api.builders import Accounts, coordinator_browser
from tests.notifier import events
from tests.notifier.builders import unique
from tests.review.queue_world import Sessions, offer_in, register_offer, suggest

HTMX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
async def coordinator(app: FastAPI, accounts: Accounts) -> AsyncIterator[tuple[Any, str]]:
    """A Limburg coordinator's signed-in cookie session and its CSRF token."""
    async with coordinator_browser(app, accounts, "Limburg") as signed_in:
        yield signed_in


async def _world(db: Sessions, quantity: int = 1) -> dict[str, Any]:
    """A Limburg school's need, suggested an offer in Genk and one delivered from Gent."""
    run = unique("w")
    genk = offer_in("3600", f"Werkplaats <b>{run}</b>")
    delivered = offer_in("9000", f"Mobiel labo {run}", mobile=True)
    for offer in (genk, delivered):
        await register_offer(db, offer)
    need = events.need("3500", quantity=quantity, school_name=f"VTI Sint-Jan {run}")
    need = need.model_copy(update={"title": f"Stage <i>EV</i> & {run}"})
    matches = await suggest(db, need, [genk, delivered], km=45.9)
    return {"run": run, "need": need, "genk": genk, "matches": matches}


async def test_the_filters_are_the_address_and_the_school_is_found_by_part_of_its_name(
    coordinator: tuple[Any, str], db: Sessions
) -> None:
    http, _ = coordinator
    world = await _world(db)
    school = f"sint-jan {world['run']}"  # lower case, part of "VTI Sint-Jan …"

    page = await http.get("/beoordelen", params={"status": "open", "school": school})
    assert page.status_code == 200
    assert f'value="{school}"' in page.text
    assert '<option value="open" selected>' in page.text
    assert f"Stage &lt;i&gt;EV&lt;/i&gt; &amp; {world['run']}" in page.text

    asked = {"status": "open", "school": school, "soort": "", "pagina": "1"}
    filtered = await http.get(
        "/beoordelen/lijst", params=asked, headers=HTMX | {"HX-Trigger": "filters"}
    )
    assert filtered.status_code == 200
    pushed = filtered.headers["HX-Push-Url"]
    assert pushed.startswith("/beoordelen?") and "lijst" not in pushed
    bookmarked = await http.get(pushed)
    assert bookmarked.status_code == 200 and f'value="{school}"' in bookmarked.text
    polled = await http.get("/beoordelen/lijst", params=asked, headers=HTMX)
    assert "HX-Push-Url" not in polled.headers  # the poller leaves the history alone

    suggestions = await http.get("/beoordelen/scholen", params={"school": world["run"].upper()})
    assert suggestions.status_code == 200
    assert f'value="VTI Sint-Jan {world["run"]}"' in suggestions.text
    assert world["need"].school.institution_number in suggestions.text


async def test_a_card_shows_the_offers_place_and_a_delivered_offer_is_not_far(
    coordinator: tuple[Any, str], db: Sessions
) -> None:
    http, _ = coordinator
    world = await _world(db)
    page = await http.get("/beoordelen", params={"status": "open", "school": world["run"]})
    assert page.status_code == 200
    assert world["genk"].place.locality in page.text  # Genk
    assert "46 km van de school" in page.text
    assert "Wordt geleverd (46 km van de school)" in page.text
    assert "Afstand" not in page.text and ">tekst<" not in page.text
    assert ">nabijheid<" in page.text and ">inhoud<" in page.text
    assert f"Werkplaats &lt;b&gt;{world['run']}&lt;/b&gt;" in page.text
    assert "overlap " not in page.text  # the one overlap figure is the explanation's


async def test_a_decision_names_the_pair_and_the_acceptance_is_revocable_where_it_shows(
    coordinator: tuple[Any, str], db: Sessions
) -> None:
    http, csrf = coordinator
    world = await _world(db, quantity=2)
    genk_match = world["matches"][0]
    filters = {"status": "open", "school": world["run"]}

    answer = await http.post(
        f"/beoordelen/{genk_match.match_id}/beslissing",
        data={"csrf_token": csrf, "decision": "accepted", **filters},
        headers=HTMX,
    )

    assert answer.status_code == 200, answer.text[:300]
    run = world["run"]
    pair = f"Stage &lt;i&gt;EV&lt;/i&gt; &amp; {run} ↔ Werkplaats &lt;b&gt;{run}&lt;/b&gt;"
    assert f"Voorstel aanvaard: {pair}" in answer.text
    # Revocable from the message and from the need's card, which still has an open candidate.
    assert f'id="rv-n-{genk_match.match_id}"' in answer.text
    assert f'id="rv-a-{genk_match.match_id}"' in answer.text
    assert "Al aanvaard" in answer.text

    revoked = await http.post(
        f"/beoordelen/{genk_match.match_id}/intrekking",
        data={"csrf_token": csrf, "reason": "Het bedrijf annuleert.", **filters},
        headers=HTMX,
    )
    assert revoked.status_code == 200, revoked.text[:300]
    assert f"Aanvaarding ingetrokken: {pair}" in revoked.text
