"""The README's screenshots, taken from a Schakel that is already running (``make run``, whose
demo logins it signs in as; or any stack serving the pages with those logins): the main pages at
laptop size and the folded phone header, with Debian's Chromium driven by Playwright, written as
small PNGs to ``docs/screenshots/``. It starts nothing itself.

    make run                                    # in another terminal
    .venv/bin/python -m tests.screenshots       # --base-url, --password as make run printed them
"""

import argparse
import asyncio
from datetime import date
from pathlib import Path

from playwright.async_api import Browser, Page, ViewportSize, async_playwright

from services.demo.logins import Login, coordinator_email, logins, people_region
from tests.web.conftest import CHROMIUM

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
LAPTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)


async def _signed_in(browser: Browser, base_url: str, email: str, password: str) -> Page:
    profile = await browser.new_context(base_url=base_url, locale="nl-BE", viewport=LAPTOP)
    page = await profile.new_page()
    await page.goto("/aanmelden")
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord").fill(password)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.wait_for_url(lambda url: "/aanmelden" not in url)
    return page


async def _shoot(page: Page, name: str, path: str, selector: str | None = None) -> None:
    await page.goto(path)
    await page.wait_for_load_state("networkidle")
    target = SCREENSHOTS / f"{name}.png"
    if selector is None:
        await page.screenshot(path=str(target))
    else:
        await page.locator(selector).first.screenshot(path=str(target))
    print(f"{target.relative_to(SCREENSHOTS.parents[1])}: {path}")


async def _shoot_why_no_match(page: Page) -> None:
    """The "Waarom nog geen match?" of the school's first need without suggestions (the demo
    world gives the signed-in school one: ``services.demo.world.unserved_need``), once the
    matcher has taken it in and the page names the rules that keep offers out."""
    await page.goto("/school")
    why = page.get_by_role("link", name="Waarom nog geen match?")
    if not await why.count():
        raise SystemExit("why-no-match: no need of the demo school is without suggestions")
    path = await why.first.get_attribute("href") or "/school"
    for _ in range(30):
        await page.goto(path)
        if await page.locator("ul.misses li[data-rule]").count():
            break
        await page.wait_for_timeout(1000)  # the matcher has not taken the need in yet
    await _shoot(page, "why-no-match", path)


def _login(role: str) -> Login:
    return next(login for login in logins(date.today()) if login.role == role)


async def take(base_url: str, password: str) -> None:
    """Every screenshot the README shows of the pages."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        try:
            coordinator = coordinator_email(people_region())
            page = await _signed_in(browser, base_url, coordinator, password)
            await _shoot(page, "review-queue", "/beoordelen")
            await _shoot(page, "dashboard", "/dashboard", 'section[aria-labelledby="radar"]')
            await page.set_viewport_size(PHONE)
            await _shoot(page, "phone-header", "/beoordelen")
            await page.get_by_role("button", name="Menu").click()
            await page.screenshot(path=str(SCREENSHOTS / "phone-menu.png"))

            page = await _signed_in(browser, base_url, _login("school").email, password)
            await _shoot(page, "school-needs", "/school")
            await _shoot_why_no_match(page)

            page = await _signed_in(browser, base_url, _login("provider").email, password)
            await _shoot(page, "offer-import", "/aanbieder/import")
            await _shoot(page, "catalogue", "/catalogus")
        finally:
            await browser.close()


def main() -> None:
    """Take the screenshots of the Schakel at ``--base-url``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="schakel-demo", help="of the demo logins")
    arguments = parser.parse_args()
    asyncio.run(take(arguments.base_url, arguments.password))


if __name__ == "__main__":
    main()
