"""``/api/matches``: scoped lists, decisions that never overbook, revocation, contact data only to
the parties of an accepted match, the inbox and the shortage radar."""

import asyncio
import re
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.tables import NotificationRow
from shared.contracts import (
    MatchSuggested,
    NeedRegistered,
    OfferRegistered,
    Period,
    Provider,
    School,
)
from tests.api.builders import PROVIDERS, SCHOOLS, Account, Accounts
from tests.api.test_cross_tenant import id_routes
from tests.builders import NEED_START
from tests.notifier import events
from tests.review.conftest import suggested_pairs

Sessions = async_sessionmaker[AsyncSession]


def school_need(number: str = SCHOOLS[0]) -> NeedRegistered:
    need = events.need("3500")
    school = School(institution_number=number, name=f"School {number}", postal_code="3500")
    return need.model_copy(update={"school": school})


def provider_offer(capacity: int, number: str = PROVIDERS[0]) -> OfferRegistered:
    offer = events.offer(capacity=capacity)
    provider = Provider(
        enterprise_number=number, name="Garage X", type="company", postal_code="3600"
    )
    return offer.model_copy(update={"provider": provider})


@pytest.fixture(scope="module")
async def people(accounts: Accounts) -> dict[str, Account]:
    roles = await accounts.every_role()
    roles["coordinator_antwerpen"] = await accounts.create("coordinator", region="Antwerpen")
    return roles


async def _decide(
    client: httpx.AsyncClient, who: Account, match: MatchSuggested, **body: object
) -> httpx.Response:
    return await client.post(
        f"/api/matches/{match.match_id}/decision",
        json={"decision": "accepted", **body},
        headers=who.bearer,
    )


async def test_each_role_sees_only_its_own_matches_and_contacts_only_once_accepted(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    need, offer = school_need(), provider_offer(capacity=2)
    (match,) = await suggested_pairs(db, [need], offer)
    path = f"/api/matches/{match.match_id}"
    for who in ("school_b", "provider_b", "coordinator_antwerpen"):
        assert (await client.get(path, headers=people[who].bearer)).status_code == 404
    seen = (await client.get(path, headers=people["school_a"].bearer)).json()
    assert (seen["status"], seen["contact"]) == ("open", None)
    listed = await client.get(
        "/api/matches", params={"need_id": match.need_id}, headers=people["coordinator"].bearer
    )
    assert [item["match_id"] for item in listed.json()["items"]] == [match.match_id]

    assert (await _decide(client, people["school_a"], match)).status_code == 403
    assert (await _decide(client, people["coordinator_antwerpen"], match)).status_code == 404
    accepted = await _decide(client, people["coordinator"], match)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    to_school = (await client.get(path, headers=people["school_a"].bearer)).json()["contact"]
    to_provider = (await client.get(path, headers=people["provider_a"].bearer)).json()["contact"]
    coordinator = (await client.get(path, headers=people["coordinator"].bearer)).json()
    assert (to_school["organisation"], to_school["email"]) == ("Garage X", offer.contact.email)
    assert (to_provider["organisation"], to_provider["email"]) == (
        f"School {SCHOOLS[0]}",
        need.contact.email,
    )
    assert coordinator["contact"] is None


async def test_accept_after_accept_of_the_last_place_is_409_and_revoke_frees_it(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    first, second = await suggested_pairs(
        db, [school_need(), school_need(SCHOOLS[1])], provider_offer(capacity=1)
    )
    coordinator = people["coordinator"]
    assert (await _decide(client, coordinator, first)).status_code == 200
    refused = await _decide(client, coordinator, second)
    assert refused.status_code == 409 and "offer_fully_booked" in refused.json()["detail"]
    assert (await _decide(client, coordinator, first)).status_code == 409  # already decided

    revoke = f"/api/matches/{first.match_id}/revoke"
    assert (
        await client.post(revoke, json={"reason": ""}, headers=coordinator.bearer)
    ).status_code == 422
    revoked = await client.post(
        revoke, json={"reason": "Het bedrijf annuleert"}, headers=coordinator.bearer
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert (await _decide(client, coordinator, second)).status_code == 200


async def test_a_rejection_needs_a_reason_code(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    (match,) = await suggested_pairs(db, [school_need()], provider_offer(capacity=1))
    coordinator = people["coordinator"]
    missing = await _decide(client, coordinator, match, decision="rejected")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "reason_code"
    rejected = await _decide(
        client, coordinator, match, decision="rejected", reason_code="too_far", reason="Te ver"
    )
    assert rejected.status_code == 200
    assert (rejected.json()["status"], rejected.json()["reason_code"]) == ("rejected", "too_far")


async def test_twenty_concurrent_accepts_over_http_give_exactly_one_200(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    needs = [school_need(SCHOOLS[i % 3]) for i in range(20)]
    matches = await suggested_pairs(db, needs, provider_offer(capacity=1))
    answers = await asyncio.gather(
        *(_decide(client, people["coordinator"], match) for match in matches)
    )
    assert sorted(answer.status_code for answer in answers) == [200] + [409] * 19


async def test_one_reads_and_marks_only_ones_own_notifications(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    async with db.begin() as session:
        rows = [
            NotificationRow(
                match_id="m-inbox",
                recipient=f"school:{number}",
                type="accepted",
                subject="Match aanvaard",
                body_text="...",
                body_html="<p>...</p>",
                payload={},
            )
            for number in SCHOOLS[:2]
        ]
        session.add_all(rows)
    mine, theirs = rows
    school = people["school_a"]
    inbox = (await client.get("/api/notifications", headers=school.bearer)).json()
    assert mine.id in [n["id"] for n in inbox] and theirs.id not in [n["id"] for n in inbox]
    assert (
        await client.post(f"/api/notifications/{theirs.id}/read", headers=school.bearer)
    ).status_code == 404
    assert (
        await client.post(f"/api/notifications/{mine.id}/read", headers=school.bearer)
    ).status_code == 204
    unread = await client.get("/api/notifications?unread=true", headers=school.bearer)
    assert mine.id not in [n["id"] for n in unread.json()]


async def test_shortage_radar_is_for_coordinators_of_their_region(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    await suggested_pairs(db, [school_need()], provider_offer(capacity=1))
    school = await client.get("/api/stats/shortage", headers=people["school_a"].bearer)
    assert school.status_code == 403
    radar = await client.get("/api/stats/shortage", headers=people["coordinator"].bearer)
    cells = radar.json()["cells"]
    assert {cell["rtc_region"] for cell in cells} == {"Limburg"}
    assert {("auto", "G1"), ("auto", "G2"), ("auto", "G3")} <= {
        (cell["field"], cell["grade"]) for cell in cells
    }


def _open_needs(radar: httpx.Response, field: str, grade: str) -> int:
    cells = radar.json()["cells"]
    return sum(c["open_needs"] for c in cells if (c["field"], c["grade"]) == (field, grade))


async def test_the_radar_counts_a_decision_at_once_although_its_counts_are_remembered(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    coordinator = people["coordinator"].bearer
    (match,) = await suggested_pairs(db, [school_need()], provider_offer(capacity=1))
    before = await client.get("/api/stats/shortage", headers=coordinator)
    again = await client.get("/api/stats/shortage", headers=coordinator)
    assert again.json() == before.json()
    assert (await _decide(client, people["coordinator"], match)).status_code == 200
    after = await client.get("/api/stats/shortage", headers=coordinator)
    assert _open_needs(after, "auto", "G3") == _open_needs(before, "auto", "G3") - 1


async def _open_page(client: httpx.AsyncClient, who: Account, page: int) -> list[str]:
    """The ids on ``page`` of the open matches ``who`` sees, in listing order."""
    params = {"status": "open", "page": page}
    answer = (await client.get("/api/matches", params=params, headers=who.bearer)).json()
    return [item["match_id"] for item in answer["items"]]


async def _page_of(client: httpx.AsyncClient, who: Account, match_id: str) -> int:
    """The page of the open list that shows ``match_id``, looked for from the first."""
    page = 1
    while match_id not in (ids := await _open_page(client, who, page)):
        assert ids, f"{match_id} is on no page of the open list"
        page += 1
    return page


async def test_the_open_list_drops_an_accepted_match_at_once_although_its_pages_are_remembered(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    # Other tests' matches share the region's list, so only the page that shows the decided
    # match is compared; asked twice before the decision, its second answer is remembered.
    coordinator = people["coordinator"]
    first, _ = await suggested_pairs(
        db, [school_need(), school_need(SCHOOLS[1])], provider_offer(capacity=2)
    )
    page = await _page_of(client, coordinator, first.match_id)
    assert first.match_id in await _open_page(client, coordinator, page)
    assert (await _decide(client, coordinator, first)).status_code == 200
    assert first.match_id not in await _open_page(client, coordinator, page)


# Body each id route of a match takes; the notification route takes none.
ATTEMPT_BODIES: dict[str, dict[str, object] | None] = {
    "/decision": {"decision": "accepted"},
    "/revoke": {"reason": "Het bedrijf annuleert"},
    "/steps": {"step": "dates_agreed"},
    "/rating": {"score": 4, "comment": "Goed"},
}


async def test_no_other_organisation_or_region_reaches_a_match_or_a_notification(
    app: FastAPI, client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    (match,) = await suggested_pairs(db, [school_need()], provider_offer(capacity=1))
    async with db.begin() as session:
        note = NotificationRow(
            match_id=match.match_id,
            recipient=f"school:{SCHOOLS[0]}",
            type="accepted",
            subject="Match aanvaard",
            body_text="...",
            body_html="<p>...</p>",
            payload={},
        )
        session.add(note)
    owned = {"/api/matches/": match.match_id, "/api/notifications/": str(note.id)}
    # Who may see each: the match's parties, its region's coordinator and the admin; the inbox
    # entry only its school.
    allowed = {
        "/api/matches/": {"school_a", "provider_a", "coordinator", "admin"},
        "/api/notifications/": {"school_a"},
    }
    routes = [(method, path) for method, path in id_routes(app) if path.startswith(tuple(owned))]
    attempts = 0
    for method, path in routes:
        prefix = next(p for p in owned if path.startswith(p))
        resource_id = owned[prefix]
        body = next((b for end, b in ATTEMPT_BODIES.items() if path.endswith(end)), None)
        attackers = [(n, a) for n, a in people.items() if n not in allowed[prefix]]
        for name, attacker in [*attackers, ("anonymous", None)]:
            headers = attacker.bearer if attacker else {}
            unknown_id = "9" * 12 if prefix == "/api/notifications/" else "no-such-match"
            foreign, unknown = [
                await client.request(
                    method, re.sub(r"\{[^}]+\}", target, path), json=body, headers=headers
                )
                for target in (resource_id, unknown_id)
            ]
            attempts += 1
            assert foreign.status_code in (401, 403, 404), (method, path, name, foreign.text)
            assert foreign.status_code == unknown.status_code, (method, path, name)
            assert foreign.text.replace(resource_id, "?") == unknown.text.replace(unknown_id, "?")
    seen = await client.get(f"/api/matches/{match.match_id}", headers=people["admin"].bearer)
    assert seen.json()["status"] == "open"
    print(f"cross-tenant (matches, notifications): {len(routes)} routes, {attempts} attempts")
    assert len(routes) >= 4


async def test_a_coordinator_gets_an_allocation_round_and_accepts_it_in_one_go(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    # Two needs, two one-place offers, each suggested to both (greedy against optimum is
    # tested on the solver itself, tests/review).
    coordinator = people["coordinator"]
    round_kind = "guest_expert"
    needs = [school_need().model_copy(update={"kind": round_kind}) for _ in range(2)]
    offers = [provider_offer(capacity=1).model_copy(update={"kind": round_kind}) for _ in range(2)]
    for offer in offers:
        await suggested_pairs(db, needs, offer)
    proposed = await client.get(
        "/api/allocation", params={"kind": round_kind}, headers=coordinator.bearer
    )
    assert proposed.status_code == 200
    body = proposed.json()
    assert body["rtc_region"] == "Limburg" and body["proposed"]["needs_matched"] >= 2
    assert body["extra_needs_matched"] >= 0
    chosen = [pair["match_id"] for pair in body["pairs"]]
    assert (
        await client.get("/api/allocation", headers=people["school_a"].bearer)
    ).status_code == 403

    accepted = await client.post(
        "/api/allocation/accept", json={"match_ids": chosen}, headers=coordinator.bearer
    )
    assert accepted.status_code == 200
    assert [o["accepted"] for o in accepted.json()["outcomes"]] == [True] * len(chosen)
    again = await client.post(
        "/api/allocation/accept", json={"match_ids": chosen}, headers=coordinator.bearer
    )
    assert {o["code"] for o in again.json()["outcomes"]} == {"already_decided"}


async def test_one_car_is_accepted_for_consecutive_periods_and_refused_for_an_overlap(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    year = NEED_START.year + 1
    car = provider_offer(capacity=1).model_copy(
        update={"period": Period(start=date(year, 9, 1), end=date(year + 1, 6, 30))}
    )
    periods = [
        Period(start=date(year, 9, 1), end=date(year + 1, 1, 31)),
        Period(start=date(year + 1, 2, 1), end=date(year + 1, 6, 30)),
        Period(start=date(year + 1, 1, 4), end=date(year + 1, 3, 31)),
    ]
    needs = [school_need().model_copy(update={"period": period}) for period in periods]
    autumn, spring, winter = await suggested_pairs(db, needs, car)
    coordinator = people["coordinator"]

    for match, period in ((autumn, periods[0]), (spring, periods[1])):
        answer = await _decide(client, coordinator, match)
        assert answer.status_code == 200, answer.text
        shown = await client.get(f"/api/matches/{match.match_id}", headers=coordinator.bearer)
        booked = shown.json()
        assert (booked["booked_from"], booked["booked_until"], booked["units"]) == (
            period.start.isoformat(),
            period.end.isoformat(),
            1,
        )
    refused = await _decide(client, coordinator, winter)
    assert refused.status_code == 409 and "offer_fully_booked" in refused.json()["detail"]
