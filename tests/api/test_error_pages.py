"""What a person sees when something goes wrong on a page: Dutch pages for a missing page (404),
another role's page (403) and a failure of ours (500), never JSON or a trace; ``/api`` keeps its
JSON. The site has an icon, and ``/docs`` loads Swagger UI from our own server only."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from services.api.app import create_app
from services.api.settings import ApiSettings


@pytest.fixture
async def failing() -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app (no database needed) with a page and an API route that fail."""
    app: FastAPI = create_app(ApiSettings())

    async def broken() -> None:
        raise RuntimeError("secret detail of the failure")

    app.add_api_route("/kapot", broken)
    app.add_api_route("/api/kapot", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://schakel.test") as http:
        yield http


async def test_an_unknown_page_is_a_dutch_404_and_an_unknown_api_path_json(
    failing: httpx.AsyncClient,
) -> None:
    page = await failing.get("/bestaat-niet")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Niet gevonden" in page.text and '<html lang="nl">' in page.text
    api = await failing.get("/api/bestaat-niet")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


async def test_a_failure_is_a_dutch_500_page_without_its_detail(
    failing: httpx.AsyncClient,
) -> None:
    page = await failing.get("/kapot")
    assert page.status_code == 500 and "Er ging iets mis" in page.text
    assert "secret detail" not in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    api = await failing.get("/api/kapot")
    assert api.status_code == 500 and api.json() == {"detail": "internal server error"}


async def test_the_icon_and_the_offline_api_docs(failing: httpx.AsyncClient) -> None:
    icon = await failing.get("/favicon.ico", follow_redirects=True)
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
    home = await failing.get("/aanmelden")
    assert 'rel="icon" href="/static/favicon.svg"' in home.text
    docs = await failing.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text and "<script>" not in docs.text
    assert "unsafe-inline" not in docs.headers["content-security-policy"]
    for asset in ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-dist/swagger-ui.css"):
        assert (await failing.get(f"/static/vendor/{asset}")).status_code == 200
    assert (await failing.get("/static/docs.js")).status_code == 200
