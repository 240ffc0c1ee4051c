"""Filling the posting forms the way a person does: by label."""

from playwright.async_api import Page, expect

from tests.web.world import day


async def fill_common(
    page: Page, posting_id: str, title: str, field: str, postal_code: str
) -> None:
    """The fields needs and offers share."""
    await page.get_by_label("Soort").select_option("teacher_internship")
    await page.get_by_label("Vakgebied").select_option(field)
    await page.get_by_label("Titel").fill(title)
    await page.get_by_label("Beschrijving").fill(
        "Werken aan \"hoogspanning\" & batterijen; 'quotes', accenten (é) en a < b."
    )
    await page.get_by_label("Trefwoorden").fill("diagnose, EV")
    await page.get_by_label("Begindatum").fill(day(40))
    await page.get_by_label("Einddatum").fill(day(130))
    await page.get_by_label("Postcode").fill(postal_code)
    await page.get_by_label("Eigen kenmerk (optioneel)").fill(posting_id)


async def post_offer(page: Page, offer_id: str, title: str, field: str, postal_code: str) -> None:
    """Post an offer through /aanbieder/aanbod/nieuw and land on the list."""
    await page.goto("/aanbieder/aanbod/nieuw")
    await fill_common(page, offer_id, title, field, postal_code)
    await page.get_by_label("Type organisatie").select_option("company")
    await page.get_by_label("Capaciteit (leraars, toestellen, plaatsen)").fill("2")
    await page.get_by_role("button", name="Aanbod posten").click()
    await page.wait_for_url("**/aanbieder?verstuurd=*")


async def wait_until_open(page: Page, posting_id: str) -> None:
    """Reload the list until intake has registered the posting."""
    badge = page.locator(f'[data-posting-id="{posting_id}"] .badge').first
    for _ in range(120):
        await page.reload()
        if await badge.count() and (await badge.inner_text()) == "open":
            return
        await page.wait_for_timeout(500)
    await expect(badge).to_have_text("open")
