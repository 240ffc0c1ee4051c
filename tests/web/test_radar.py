"""The shortage radar on the dashboard: one absolute colour scale with its legend across every
region, and the map of Flanders where schools' needs go unmatched, with the same figures as a
table; at laptop and phone size, axe-clean."""

import uuid

from playwright.async_api import BrowserContext, Page, ViewportSize, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.pages.heat import heat_level
from services.review.known_postings import store_need
from tests.api.builders import Accounts
from tests.notifier import events
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page
from tests.web.forms import fill_common, wait_until_open
from tests.web.world import institution_number

PHONE = ViewportSize(width=390, height=844)
POPERINGE, MAASMECHELEN = "8970", "3630"


async def _post_need(page: Page, need_id: str, postal_code: str) -> None:
    await page.goto("/school/behoeften/nieuw")
    await fill_common(page, need_id, f"Stage in de schrijnwerkerij {need_id}", "hout", postal_code)
    await page.get_by_role("button", name="Behoefte posten").click()
    await page.wait_for_url("**/school?verstuurd=*")


async def _cells_follow_one_scale(page: Page) -> None:
    """Every count in every region's table has the colour of that count on the legend."""
    cells = await page.locator("table.heat td.n").evaluate_all(
        "(cells) => cells.map((c) => [Number(c.textContent), c.className])"
    )
    assert cells
    for count, classes in cells:
        assert f"h{heat_level(count)}" in classes.split(), (count, classes)


async def test_the_radar_colours_every_region_alike_and_maps_the_unmet_needs(
    context: BrowserContext, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:  # one open need in Limburg and one in Antwerpen
        await store_need(session, events.need("3500"))
        await store_need(session, events.need("2000"))
    run = uuid.uuid4().hex[:8]
    school = await accounts.create("school", institution_number())
    page = await new_page(context)
    await sign_in(page, school)
    await _post_need(page, f"web-{run}-west", POPERINGE)
    await _post_need(page, f"web-{run}-limburg", MAASMECHELEN)
    await wait_until_open(page, f"web-{run}-west")
    await wait_until_open(page, f"web-{run}-limburg")
    await page.get_by_role("button", name="Afmelden").click()

    await sign_in(page, await accounts.create("admin"))
    await page.goto("/dashboard")
    spot = page.locator(f'svg circle[data-postcode="{POPERINGE}"]')
    limburg = page.locator(f'svg circle[data-postcode="{MAASMECHELEN}"]')
    for _ in range(120):  # review registers the needs from intake's events
        if await spot.count() and await limburg.count():
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(page.locator("h3", has_text="RTC Limburg")).to_be_visible()
    await expect(page.locator("h3", has_text="RTC Antwerpen")).to_be_visible()
    legend = page.get_by_role("group", name="Legende (open behoeften):").locator("li")
    await expect(legend).to_have_text(["0", "1", "2–3", "4–7", "8 of meer"])
    await _cells_follow_one_scale(page)

    svg = page.get_by_role("img", name="Kaart van Vlaanderen met de open behoeften")
    await expect(svg).to_be_visible()
    await expect(spot.locator("title")).to_contain_text(f"Poperinge ({POPERINGE})")
    await page.get_by_text("De kaart als tabel").click()
    row = page.get_by_role("region", name="Open behoeften per postcode").locator(
        "tr", has_text=POPERINGE
    )
    await expect(row).to_contain_text("West-Vlaanderen")
    needs = int(await row.locator("td.n").inner_text())
    assert needs >= 1
    assert f"h{heat_level(needs)}" in ((await spot.get_attribute("class")) or "").split()
    await check_page(page, "tekortradar")

    await page.set_viewport_size(PHONE)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = await svg.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    await check_page(page, "tekortradar-telefoon")

    # A coordinator's map holds their own region only.
    await page.set_viewport_size(ViewportSize(width=1280, height=900))
    await page.get_by_role("button", name="Afmelden").click()
    await sign_in(page, await accounts.create("coordinator", region="Limburg"))
    await page.goto("/dashboard")
    await expect(limburg).to_have_count(1)
    await expect(spot).to_have_count(0)
    shown = (
        await page.get_by_role("region", name="Open behoeften per postcode", include_hidden=True)
        .locator("td:nth-child(3)")
        .all_text_contents()
    )
    assert set(shown) == {"Limburg"}
