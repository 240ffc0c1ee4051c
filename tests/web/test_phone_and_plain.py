"""Every page's header on a phone (390 x 844): compact, its menu folded behind a button that
opens it; without JavaScript the menu stays open and still small. The filter forms are plain GET
forms: with JavaScript off they filter, and the filters stay in the URL. Axe-clean with script
on (axe itself needs script)."""

import uuid
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect

from services.api.pages.navigation import navigation
from services.api.principal import Principal
from shared.accounts import Role
from tests.api.builders import Account, Accounts
from tests.web.browser import check_page, sign_in
from tests.web.conftest import SCREENSHOTS, new_page
from tests.web.world import enterprise_number, institution_number

PHONE = ViewportSize(width=390, height=844)
# Brand and the Menu button on one line; the open menu of the busiest role without script.
FOLDED_HEADER_PX = 64
PLAIN_HEADER_PX = PHONE["height"] / 4


async def _phone(browser: Browser, base_url: str, scripts: bool) -> BrowserContext:
    profile = await browser.new_context(
        base_url=base_url, locale="nl-BE", viewport=PHONE, java_script_enabled=scripts
    )
    profile.set_default_timeout(20_000)
    return profile


@pytest.fixture
async def plain(browser: Browser, base_url: str) -> AsyncIterator[BrowserContext]:
    """A phone-sized profile with JavaScript disabled."""
    profile = await _phone(browser, base_url, scripts=False)
    yield profile
    await profile.close()


async def _role_pages(accounts: Accounts) -> dict[str, tuple[Account | None, list[str]]]:
    """Per role, the account and the pages of its navigation (as navigation() builds it)."""
    made: dict[Role, Account] = {
        "school": await accounts.create("school", institution_number()),
        "provider": await accounts.create("provider", enterprise_number()),
        "coordinator": await accounts.create("coordinator", region="Limburg"),
        "admin": await accounts.create("admin"),
    }
    pages: dict[str, tuple[Account | None, list[str]]] = {
        "anonymous": (None, ["/aanmelden", *[link.href for link in navigation(None)]])
    }
    for role, account in made.items():
        principal = Principal(0, account.email, "", role, 0, "", None, None, "session")
        pages[role] = (account, [link.href for link in navigation(principal)])
    return pages


async def _screenshot(page: Page, name: str) -> None:
    """Without script axe cannot run in the page (the same pages are scanned with script on);
    the screenshot still goes to .stack/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def _header_height(page: Page) -> float:
    box = await page.locator("header.site").bounding_box()
    assert box is not None
    return float(box["height"])


async def test_every_header_on_a_phone_is_compact_with_a_menu_button(
    browser: Browser, base_url: str, accounts: Accounts
) -> None:
    for role, (account, paths) in (await _role_pages(accounts)).items():
        profile = await _phone(browser, base_url, scripts=True)
        try:
            page = await new_page(profile)
            if account is not None:
                await sign_in(page, account)
            for path in paths:
                await page.goto(path)
                assert await _header_height(page) <= FOLDED_HEADER_PX, (role, path)
                menu = page.get_by_role("button", name="Menu")
                await expect(menu).to_have_attribute("aria-expanded", "false")
                await expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
            await menu.click()
            await expect(menu).to_have_attribute("aria-expanded", "true")
            nav = page.get_by_role("navigation", name="Hoofdmenu")
            await expect(nav.get_by_role("link")).to_have_count(len(paths) - (role == "anonymous"))
            await check_page(page, f"kop-telefoon-{role}")
            first = nav.get_by_role("link").first
            await first.click()
            await page.wait_for_load_state()
            await expect(page.get_by_role("button", name="Menu")).to_have_attribute(
                "aria-expanded", "false"
            )
        finally:
            await profile.close()


async def test_every_header_on_a_phone_without_javascript_stays_small(
    plain: BrowserContext, accounts: Accounts
) -> None:
    for role, (account, paths) in (await _role_pages(accounts)).items():
        await plain.clear_cookies()
        page = await new_page(plain)
        if account is not None:
            await sign_in(page, account)
        for path in paths:
            await page.goto(path)
            assert await _header_height(page) <= PLAIN_HEADER_PX, (role, path)
            await expect(page.get_by_role("button", name="Menu")).to_be_hidden()
            await expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
        await page.close()


async def test_the_filters_work_without_javascript(
    plain: BrowserContext, accounts: Accounts
) -> None:
    page = await new_page(plain)
    run = uuid.uuid4().hex[:8]
    await page.goto("/catalogus")
    await page.get_by_label("Zoekterm").fill(f"onvindbaar{run}")
    await page.get_by_label("Regio").select_option("Limburg")
    await page.get_by_role("button", name="Zoeken").click()
    await page.wait_for_url(f"**/catalogus?q=onvindbaar{run}*regio=Limburg*")
    await expect(page.locator("#aantal")).to_have_text("0 aanbiedingen gevonden")
    await expect(page.get_by_label("Zoekterm")).to_have_value(f"onvindbaar{run}")
    await expect(page.get_by_label("Regio")).to_have_value("Limburg")
    await _screenshot(page, "catalogus-zonder-javascript")

    await sign_in(page, await accounts.create("coordinator", region="Limburg"))
    await page.goto("/beoordelen")
    await page.get_by_label("Status").select_option("accepted")
    await page.get_by_label("Soort").select_option("teacher_internship")
    await page.get_by_label("School (naam of nummer)").fill(f"school-{run}")
    await page.get_by_role("button", name="Filteren").click()
    await page.wait_for_url("**/beoordelen?status=accepted&soort=teacher_internship*")
    assert f"school=school-{run}" in page.url
    await expect(page.get_by_label("Status")).to_have_value("accepted")
    await expect(page.get_by_label("Soort")).to_have_value("teacher_internship")
    await expect(page.get_by_label("School (naam of nummer)")).to_have_value(f"school-{run}")
    await _screenshot(page, "voorstellen-zonder-javascript")

    await page.goto("/toewijzing")
    await page.get_by_label("Soort").select_option("guest_expert")
    await page.get_by_label("Scholen zonder match eerst").check()
    await page.get_by_role("button", name="Voorstel berekenen").click()
    await page.wait_for_url("**/toewijzing?soort=guest_expert&nieuwe_scholen=1*")
    await expect(page.get_by_label("Soort")).to_have_value("guest_expert")
    await expect(page.get_by_label("Scholen zonder match eerst")).to_be_checked()

    await page.get_by_role("button", name="Afmelden").click()
    await sign_in(page, await accounts.create("admin"))
    await page.goto("/dashboard")
    await page.get_by_label("Regio").select_option("Antwerpen")
    await page.get_by_role("button", name="Tonen").click()
    await page.wait_for_url("**/dashboard?regio=Antwerpen")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard · RTC Antwerpen")
