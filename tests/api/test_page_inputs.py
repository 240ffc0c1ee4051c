"""Every page answers a hostile value in any of its fields, query parameters or path with a
Dutch page (4xx, or the page itself with the value ignored or reported), never a 500 or an
English JSON error; ``/api`` answers the same values with English JSON 4xx."""

import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api import pages
from services.review.tables import ReviewMatch
from tests.api.builders import PASSWORD, PROVIDERS, Account, Accounts, as_csv, offer_row
from tests.notifier import events
from tests.review.conftest import suggested_pairs

Sessions = async_sessionmaker[AsyncSession]

HOSTILE = {
    "too long": "x" * 20_000,
    "NUL": "a\x00b",
    "control character": "a\x07b",
    "not a decimal digit": "²",
    "negative": "-1",
    "huge number": "9" * 30,
    "unknown choice": "<script>alert(1)</script>",
    "not UTF-8": b"\xff\xfe\xfa".decode("latin-1"),
}
# Fields a page reads from the raw form or query (not declared as parameters).
RAW_FIELDS = {
    "/beoordelen": ("status", "soort", "vakgebied", "graad", "school", "sortering", "pagina"),
    "/beoordelen/lijst": ("status", "soort", "graad", "school", "pagina", "versie"),
    "/school/behoeften": ("kind", "field", "title", "grades", "period_start", "period_end",
                          "period_days", "postal_code", "contact_email", "need_id", "quantity"),
    "/account/voorkeuren": ("suggestion", "reminder", "replacement_missing", "application"),
    "/aanbieder/aanbod": ("kind", "field", "title", "grades", "period_start", "period_end",
                          "capacity", "cost_eur", "offer_id", "provider_type", "postal_code",
                          "turnaround_days"),
}  # fmt: skip
ROLE_OF = {
    "/beoordelen": "coordinator", "/toewijzing": "coordinator", "/dashboard": "admin",
    "/school": "school", "/aanbieder": "provider", "/beheer": "admin", "/inbox": "school",
    "/organisatie": "school", "/aanmeldingen": "coordinator", "/account": "coordinator",
    "/matches": "provider", "/rotatie": "coordinator",
}  # fmt: skip


def page_routes() -> list[tuple[str, str, APIRoute]]:
    """(method, path, route) of every page."""
    return [
        (method, route.path, route)
        for router in pages.ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods - {"HEAD"})
    ]


def field_names(path: str, route: APIRoute) -> list[tuple[str, str]]:
    """(where, name) of every value the route reads."""
    dependant = route.dependant
    names = [("query", p.alias) for p in dependant.query_params]
    names += [("path", p.alias) for p in dependant.path_params]
    names += [("form", p.alias) for p in dependant.body_params]
    raw = next((fields for prefix, fields in RAW_FIELDS.items() if path.startswith(prefix)), ())
    names += [("raw", name) for name in raw]
    return names


@pytest.fixture(scope="module")
async def browsers(app: FastAPI, accounts: Accounts) -> AsyncIterator[dict[str, Any]]:
    """A signed-in cookie session (with its CSRF token) per role; a 500 comes back as one."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    sessions: dict[str, Any] = {}
    for role in ("school", "provider", "coordinator", "admin"):
        account: Account = await accounts.create(
            role, number={"school": "048561", "provider": PROVIDERS[0]}.get(role),
            region="Limburg" if role == "coordinator" else None,
        )  # fmt: skip
        http = httpx.AsyncClient(transport=transport, base_url="http://schakel.test")
        signed = await http.post(
            "/api/session", json={"email": account.email, "password": PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        sessions[role] = (http, signed.json()["csrf_token"])
    sessions["anonymous"] = (
        httpx.AsyncClient(transport=transport, base_url="http://schakel.test"),
        "",
    )
    yield sessions
    for http, _ in sessions.values():
        await http.aclose()


def _filled(
    path: str, where: str, name: str, value: str
) -> tuple[str, dict[str, str], dict[str, str]]:
    params: dict[str, str] = {}
    form: dict[str, str] = {}
    for match in re.findall(r"{(\w+)}", path):
        filled = quote(value, safe="") if (where, name) == ("path", match) else "1"
        path = path.replace(f"{{{match}}}", filled)
    if where in ("query", "raw"):
        params[name] = value
    if where in ("form", "raw"):
        form[name] = value
    return path, params, form


async def test_no_page_answers_a_hostile_value_with_a_500_or_english_json(
    app: FastAPI, browsers: dict[str, Any]
) -> None:
    failures: list[str] = []
    tried = 0
    for method, path, route in page_routes():
        role = next((r for prefix, r in ROLE_OF.items() if path.startswith(prefix)), "anonymous")
        http, csrf = browsers[role]
        for where, name in field_names(path, route):
            for label, value in HOSTILE.items():
                url, params, form = _filled(path, where, name, value)
                if method == "POST":
                    answer = await http.post(url, params=params, data={**form, "csrf_token": csrf})
                else:
                    answer = await http.get(url, params={**params, **form})
                tried += 1
                dutch = 'lang="nl"' in answer.text
                if answer.status_code >= 500 or (answer.status_code >= 400 and not dutch):
                    failures.append(
                        f"{method} {path} {where}:{name}={label}: "
                        f"{answer.status_code} {answer.text[:120]}"
                    )
    print(f"{tried} hostile requests")
    assert not failures, "\n".join(failures)


def _dutch_problem(answer: httpx.Response, status: int, message: str) -> None:
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert message in answer.text, answer.text[:2000]


def _csv(cells: dict[str, str]) -> bytes:
    row = offer_row("hostile", 1) | cells
    return as_csv([row])


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (_csv({"description": "x" * 140_000}), 422, "een cel in rij 2 is te lang"),
        (b"offer_id;titel\nx;y\n", 422, "de kopregel klopt niet"),
        (b"offer_id;\x81\x8d\n", 422, "het is geen tekst (UTF-8 of Windows-1252)"),
        (b"PK\x03\x04 a zip that is no workbook", 422, "geen geldige Excel-werkmap"),
    ],
    ids=["cell over 128 KiB", "wrong header", "not text", "not a workbook"],
)
async def test_an_unreadable_offer_csv_answers_its_reason_in_dutch_on_the_page(
    browsers: dict[str, Any], client: httpx.AsyncClient, accounts: Accounts,
    content: bytes, status: int, message: str,
) -> None:  # fmt: skip
    http, csrf = browsers["provider"]
    answer = await http.post(
        "/aanbieder/import", data={"csrf_token": csrf},
        files={"bestand": ("aanbod.csv", content, "text/csv")},
    )  # fmt: skip
    _dutch_problem(answer, status, message)
    provider = await accounts.create("provider", PROVIDERS[0])
    api = await client.post(
        "/api/offers/import", headers=provider.bearer,
        files={"file": ("offers.csv", content, "text/csv")},
    )  # fmt: skip
    assert api.status_code == status and api.json()["errors"][0]["field"] == "file"


async def test_too_many_rows_on_the_page_answer_413_in_dutch(
    app: FastAPI, browsers: dict[str, Any]
) -> None:
    http, csrf = browsers["provider"]
    limit = app.state.context.settings.max_import_rows
    rows = [offer_row("many", n) for n in range(limit + 1)]
    answer = await http.post(
        "/aanbieder/import", data={"csrf_token": csrf},
        files={"bestand": ("aanbod.csv", as_csv(rows), "text/csv")},
    )  # fmt: skip
    _dutch_problem(answer, 413, f"hoogstens {limit} rijen")


@pytest.mark.parametrize("path", ["/aanbieder/import", "/school/behoeften"])
async def test_a_body_over_the_limit_answers_413_in_dutch_on_pages_and_json_under_api(
    app: FastAPI, browsers: dict[str, Any], path: str
) -> None:
    settings = app.state.context.settings
    limit = settings.max_upload_bytes if path == "/aanbieder/import" else settings.max_json_bytes
    http, csrf = browsers["provider" if path.startswith("/aanbieder") else "school"]
    oversized = b"x" * (limit + 1)
    page = await http.post(
        path, data={"csrf_token": csrf}, files={"bestand": ("groot.csv", oversized, "text/csv")}
    )
    _dutch_problem(page, 413, "groter dan")
    api = await http.post("/api/needs", content=oversized, headers={"X-CSRF-Token": csrf})
    assert api.status_code == 413
    assert api.json()["detail"] == f"request body larger than {settings.max_json_bytes} bytes"


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
async def test_a_rejection_with_an_unknown_reason_code_answers_422_in_dutch(
    browsers: dict[str, Any], db: Sessions, htmx: bool
) -> None:
    (match,) = await suggested_pairs(db, [events.need()], events.offer())
    http, csrf = browsers["coordinator"]
    answer = await http.post(
        f"/beoordelen/{match.match_id}/beslissing",
        data={"csrf_token": csrf, "decision": "rejected", "reason_code": "<b>geen</b>"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    _dutch_problem(answer, 422, "Kies een reden voor de afwijzing.")
    assert "<b>geen</b>" not in answer.text
    async with db() as session:
        stored = await session.get(ReviewMatch, match.match_id)
        assert stored is not None and stored.status == "open"


async def test_an_unknown_page_answers_404_in_dutch_and_the_api_in_english(
    client: httpx.AsyncClient, browsers: dict[str, Any]
) -> None:
    http, _ = browsers["school"]
    _dutch_problem(await http.get("/bestaat-niet"), 404, "Deze pagina bestaat niet")
    _dutch_problem(await http.get("/catalogus?pagina=nul"), 422, "Vul een geheel getal in.")
    api = await client.get("/api/bestaat-niet")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    invalid = await client.get("/api/catalogue", params={"page": "nul"})
    assert invalid.status_code == 422 and invalid.json()["detail"] == "the request is not valid"


async def test_an_acceptance_on_days_already_booked_answers_409_in_dutch(
    browsers: dict[str, Any], db: Sessions
) -> None:
    first_need, overlapping = events.need(), events.need()
    first, second = await suggested_pairs(db, [first_need, overlapping], events.offer())
    http, csrf = browsers["coordinator"]
    accept = {"csrf_token": csrf, "decision": "accepted"}
    taken = await http.post(f"/beoordelen/{first.match_id}/beslissing", data=accept)
    assert taken.status_code in (200, 303), taken.text[:300]

    answer = await http.post(f"/beoordelen/{second.match_id}/beslissing", data=accept)

    _dutch_problem(answer, 409, "Het aanbod is volzet in de gevraagde periode")
