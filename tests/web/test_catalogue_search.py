"""The catalogue's search in the browser, for anyone: words in Dutch with the best match first,
"Volgende" and "Vorige" through the pages (each offer once), on a laptop and a phone, passing
axe-core without a serious finding."""

import uuid

from playwright.async_api import Browser, BrowserContext, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.intake.catalogue_world import store_offers
from tests.web.browser import check_page
from tests.web.conftest import new_page, open_context

PHONE = {"width": 390, "height": 844}


async def test_search_ranks_title_hits_first_and_pages_through_every_offer(
    context: BrowserContext, db: async_sessionmaker[AsyncSession]
) -> None:
    run = f"web{uuid.uuid4().hex[:8]}"
    offers = {
        f"o{i:02}": {"title": f"Stage {i:02}", "description": "Meedraaien."} for i in range(13)
    }
    offers["titel"] = {"title": f"Koeltechniek {run}", "description": "Leven in de brouwerij."}
    await store_offers(db, run, **offers)

    page = await new_page(context)
    await page.goto("/catalogus")
    await page.get_by_label("Zoekterm").fill(f"{run} <script>")  # htmx searches as one types
    await expect(page.locator("#aantal")).to_have_text("0 aanbiedingen gevonden")
    await page.get_by_label("Zoekterm").fill(run)
    await expect(page.locator("#aantal")).to_have_text("14 aanbiedingen gevonden")
    results = page.locator("#resultaten article h3")
    await expect(results).to_have_count(12)
    await expect(results.first).to_have_text(f"Koeltechniek {run}")  # a title hit first
    first = await results.all_inner_texts()
    await check_page(page, "catalogus-zoeken-woorden")

    await page.get_by_role("link", name="Volgende").click()
    await expect(page.locator(".pager")).to_contain_text("Pagina 2 van 2")
    await expect(results).to_have_count(2)
    second = await results.all_inner_texts()
    await expect(page.get_by_role("link", name="Volgende")).to_have_count(0)
    assert len(set(first + second)) == 14  # each offer once
    await page.get_by_role("link", name="Vorige").click()
    await expect(page.locator(".pager")).to_contain_text("Pagina 1 van 2")
    assert await results.all_inner_texts() == first

    await page.get_by_label("Zoekterm").fill(f"{run} leven")  # a word of the description
    await expect(page.locator("#aantal")).to_have_text("1 aanbod gevonden")
    await page.get_by_label("Zoekterm").fill(f"{run} EV")  # not the letters inside "leven"
    await expect(page.locator("#aantal")).to_have_text("0 aanbiedingen gevonden")


async def test_the_catalogue_on_a_phone(browser: Browser, base_url: str) -> None:
    async with open_context(browser, base_url) as context:
        page = await new_page(context)
        await page.set_viewport_size(PHONE)
        await page.goto("/catalogus?q=stage")
        await expect(page.locator("#aantal")).to_contain_text("gevonden")
        await check_page(page, "catalogus-telefoon")
