"""The inbox leads somewhere: each notification links to the page of its match and says where
that match stands now (aanvaard, wacht op beslissing), the suggestions of one need make one
line, fields are named as the other pages name them, and "Alles gelezen" marks every one read.
Another inbox's notification or match shows and changes nothing."""

import re
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from services.notifier.notifications import inbox_owner
from services.notifier.tables import NotificationRow
from services.review.actors import Actor
from shared.contracts import MatchSuggested, NeedRegistered
from tests.api.builders import PASSWORD, Account, Accounts, browser
from tests.api.test_matches import provider_offer, school_need
from tests.notifier import events
from tests.review.conftest import Sessions, accept, suggested_pairs


async def _coordinator_key(http: httpx.AsyncClient, account: Account) -> tuple[str, str]:
    """Sign ``http`` in as ``account``; its inbox key and CSRF token."""
    me = await http.post("/api/session", json={"email": account.email, "password": PASSWORD})
    assert me.status_code == 200, me.text
    owner = inbox_owner("coordinator", me.json()["user_id"], None)
    assert owner is not None
    return owner, me.json()["csrf_token"]


async def notify_suggestion(
    db: Sessions, owner: str, need: NeedRegistered, match: MatchSuggested, age: int
) -> None:
    """A suggestion notification of ``match`` in ``owner``'s inbox, ``age`` minutes old."""
    payload = {
        "type": "suggestion",
        "match_id": match.match_id,
        "kind": need.kind,
        "field": "koeling-warmte",
        "need": {"title": need.title, "school": need.school.name},
        "offer": {"title": "Warmtepompen plaatsen", "provider": "Garage X"},
    }
    async with db.begin() as session:
        session.add(
            NotificationRow(
                match_id=match.match_id,
                recipient=owner,
                type="suggestion",
                subject="Nieuwe suggestie voor ... (koeling-warmte, 4 km)",
                body_text="",
                body_html="",
                payload=payload,
                created_at=datetime.now(UTC) - timedelta(minutes=age),
            )
        )


def _own_cards(page: httpx.Response, matches: list[MatchSuggested]) -> list[str]:
    """The page's lines that name one of ``matches``, in the page's order: the notifier other
    tests run tells every coordinator of a region, so this inbox may hold lines of theirs."""
    links = [f'href="/matches/{match.match_id}"' for match in matches]
    cards = re.findall(r"<article .*?</article>", page.text, flags=re.S)
    return [card for card in cards if any(link in card for link in links)]


async def test_the_inbox_links_each_match_with_its_state_one_line_per_need(
    app: FastAPI, db: Sessions, accounts: Accounts
) -> None:
    number = events.institution_number()
    grouped, single = school_need(number), school_need(number)
    matches = [(await suggested_pairs(db, [grouped], provider_offer(1)))[0] for _ in range(3)]
    (alone,) = await suggested_pairs(db, [single], provider_offer(1))
    assert await accept(db, Actor.admin("rtc@test.example"), matches[0].match_id) == "accepted"
    coordinator = await accounts.create("coordinator", region="Limburg")
    async with browser(app) as http:
        owner, csrf = await _coordinator_key(http, coordinator)
        for age, match in enumerate(matches, start=1):
            await notify_suggestion(db, owner, grouped, match, age)
        await notify_suggestion(db, owner, single, alone, 10)

        page = await http.get("/inbox")
        assert page.status_code == 200
        cards = _own_cards(page, [*matches, alone])
        assert len(cards) == 2  # three suggestions of one need make one line
        assert 'data-grouped="3"' in cards[0] and grouped.title in cards[0]
        for match in matches:
            assert f'href="/matches/{match.match_id}"' in cards[0]
        assert cards[0].count("aanvaard") == 1 and cards[0].count("wacht op beslissing") == 2
        assert f'href="/matches/{alone.match_id}"' in cards[1]
        assert "koeling en warmte" in page.text and "koeling-warmte" not in page.text
        assert (await http.get(f"/matches/{alone.match_id}")).status_code == 200

        refused = await http.post("/inbox/alles-gelezen")  # no CSRF token: nothing changes
        assert refused.status_code == 403
        marked = await http.post("/inbox/alles-gelezen", data={"csrf_token": csrf})
        assert marked.status_code == 303
        after = await http.get(marked.headers["location"])
        told = re.search(r"(\d+) berichten als gelezen gemarkeerd", after.text)
        assert told is not None and int(told.group(1)) >= 4  # ours and any others' lines
        read = _own_cards(after, [*matches, alone])
        assert len(read) == 2
        assert not any("ongelezen" in card or "Markeer als gelezen" in card for card in read)


async def test_another_inbox_shows_no_link_to_a_match_it_may_not_see_and_marks_nothing(
    app: FastAPI, db: Sessions, accounts: Accounts
) -> None:
    need = school_need(events.institution_number())
    (match,) = await suggested_pairs(db, [need], provider_offer(1))
    limburg = await accounts.create("coordinator", region="Limburg")
    antwerpen = await accounts.create("coordinator", region="Antwerpen")
    async with browser(app) as own:
        owner, _ = await _coordinator_key(own, limburg)
        await notify_suggestion(db, owner, need, match, 1)
        own_page = await own.get("/inbox")
        notification_id = re.search(r'action="/inbox/(\d+)/gelezen"', own_page.text)
        assert notification_id is not None
    async with browser(app) as other:
        other_owner, csrf = await _coordinator_key(other, antwerpen)
        await notify_suggestion(
            db, other_owner, need, match, 2
        )  # a match outside Antwerpen's region
        page = await other.get("/inbox")
        assert f"/matches/{match.match_id}" not in page.text
        assert (await other.get(f"/matches/{match.match_id}")).status_code == 404
        data = {"csrf_token": csrf}
        marked = await other.post(f"/inbox/{notification_id.group(1)}/gelezen", data=data)
        assert marked.status_code == 303
    async with browser(app) as own:
        await _coordinator_key(own, limburg)
        assert "Markeer als gelezen" in (await own.get("/inbox")).text
