"""Anonymous pages: catalogue and sign-in render, pass axe, and the sign-in page redirects."""

import httpx
from playwright.async_api import BrowserContext

from tests.api.builders import Accounts
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page


async def test_catalogue_and_sign_in_render(context: BrowserContext) -> None:
    page = await new_page(context)
    await page.goto("/")
    assert page.url.endswith("/catalogus")
    await check_page(page, "catalogus")
    await page.goto("/beoordelen")
    assert "/aanmelden" in page.url
    await check_page(page, "aanmelden")


async def test_coordinator_queue_renders(context: BrowserContext, accounts: Accounts) -> None:
    coordinator = await accounts.create("coordinator", region="Limburg")
    page = await new_page(context)
    await sign_in(page, coordinator)
    assert page.url.endswith("/beoordelen")
    await check_page(page, "voorstellen-leeg")


async def test_only_the_pages_libraries_are_served_from_node_modules(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as http:
        htmx = await http.get("/static/vendor/htmx.org/dist/htmx.min.js")
        chart = await http.get("/static/vendor/chart.js/dist/chart.umd.min.js")
        axe = await http.get("/static/vendor/axe-core/axe.min.js")  # test-only, not served
        manifest = await http.get("/static/vendor/htmx.org/package.json")
        page = await http.get("/catalogus")
    assert (htmx.status_code, chart.status_code) == (200, 200)
    assert (axe.status_code, manifest.status_code) == (404, 404)
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self' only
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
