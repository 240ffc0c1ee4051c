"""Anonymous pages: catalogue and sign-in render, pass axe, and the sign-in page redirects."""

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
