"""Signing in over HTTP: refused from another site's page (login CSRF), never sent on to another
site, and personal answers kept out of caches (HSTS over HTTPS)."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from services.api.middleware import STRICT_TRANSPORT_SECURITY
from services.api.settings import ApiSettings
from tests.api.builders import OTHER_SITE_TARGETS, PASSWORD, SCHOOLS, Accounts, browser, running_app
from tests.stack import Stack

OTHER_SITES = (
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://schakel.test.evil.example"},
    {"Referer": "https://evil.example/aanmelden"},
    {"Referer": "http://schakel.test@evil.example/aanmelden"},
    {"Origin": "https://evil.example", "Referer": "http://schakel.test/aanmelden"},
)
OWN_PAGES = (
    {},
    {"Origin": "http://schakel.test"},
    {"Referer": "http://schakel.test/aanmelden?volgende=/school"},
)


@pytest.fixture(scope="module")
async def secure(stack: Stack) -> AsyncIterator[FastAPI]:
    """An instance behind TLS (``API_COOKIE_SECURE``)."""
    async with running_app(ApiSettings(cookie_secure=True)) as application:
        yield application


async def test_sign_in_from_another_site_s_page_is_refused(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    credentials = {"email": school.email, "password": PASSWORD}
    async with browser(app) as http:
        for headers in OTHER_SITES:
            api = await http.post("/api/session", json=credentials, headers=headers)
            page = await http.post("/aanmelden", data=credentials, headers=headers)
            assert (api.status_code, page.status_code) == (403, 403), headers
            assert "set-cookie" not in api.headers and "set-cookie" not in page.headers
            assert "vanaf de aanmeldpagina van Schakel" in page.text
        for headers in OWN_PAGES:  # and scripts, which name no page
            api = await http.post("/api/session", json=credentials, headers=headers)
            page = await http.post("/aanmelden", data=credentials, headers=headers)
            assert (api.status_code, page.status_code) == (200, 303), headers


async def test_sign_in_only_ever_sends_one_on_within_the_app(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    credentials = {"email": school.email, "password": PASSWORD}
    async with browser(app) as http:
        for target in OTHER_SITE_TARGETS:
            # A control character refuses the whole request (a Dutch 422 page, no redirect);
            # anything else is kept out of the form and the redirect.
            form = await http.get("/aanmelden", params={"volgende": target})
            assert form.status_code == 422 or 'name="volgende" value=""' in form.text, target
            signed_in = await http.post("/aanmelden", data={**credentials, "volgende": target})
            assert signed_in.headers.get("location", "/school") == "/school", target
            assert signed_in.status_code in (303, 422), target
        kept = await http.post("/aanmelden", data={**credentials, "volgende": "/inbox?pagina=2"})
        assert kept.headers["location"] == "/inbox?pagina=2"


async def test_personal_answers_are_not_stored_the_public_ones_may_be(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[1])
    async with browser(app) as http:
        for path in ("/catalogus", "/static/app.css"):
            assert "no-store" not in (await http.get(path)).headers.get("cache-control", "")
        assert (await http.get("/aanmelden")).headers["cache-control"] == "no-store"
        signed_in = await http.post(
            "/aanmelden", data={"email": school.email, "password": PASSWORD}
        )
        assert signed_in.headers["cache-control"] == "no-store"
        for path in ("/catalogus", "/school", "/inbox"):
            assert (await http.get(path)).headers["cache-control"] == "no-store", path
        assert "no-store" not in (await http.get("/static/app.css")).headers.get(
            "cache-control", ""
        )
        csrf_token = (await http.get("/api/me")).json()["csrf_token"]
        signed_out = await http.post("/afmelden", data={"csrf_token": csrf_token})
        assert signed_out.status_code == 303
        assert signed_out.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in signed_in.headers


async def test_hsts_is_sent_when_the_cookie_is_https_only(secure: FastAPI) -> None:
    async with browser(secure) as http:
        for path in ("/health", "/catalogus", "/aanmelden", "/api/catalogue"):
            answer = await http.get(path)
            assert answer.headers["strict-transport-security"] == STRICT_TRANSPORT_SECURITY.decode()
