"""The other pages in the browser: CSV upload with its row report, the catalogue search, the
dashboard with its heat map and charts, the admin page, the inbox, a page of another role, and
the queue on a phone. Each passes axe-core without a serious or critical finding."""

import uuid

from playwright.async_api import Browser, BrowserContext, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.known_postings import store_need
from tests.api.builders import Accounts, as_csv, offer_row
from tests.notifier import events
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page, open_context
from tests.web.world import enterprise_number


async def test_csv_upload_reports_bad_rows_and_the_catalogue_finds_the_good(
    context: BrowserContext, accounts: Accounts, tmp_path: object
) -> None:
    run, number = uuid.uuid4().hex[:8], enterprise_number()
    provider = await accounts.create("provider", number)
    rows = [offer_row(f"csv-{run}", i) for i in range(4)]
    for row in rows:
        row.update(provider_enterprise_number=number, title=f"{row['title']} {run}")
    rows[1]["kind"] = "spaceship"  # spreadsheet row 3
    rows[3]["provider_postal_code"] = "9999"  # spreadsheet row 5
    csv_file = tmp_path / "aanbod.csv"  # type: ignore[operator]
    csv_file.write_bytes(as_csv(rows))

    page = await new_page(context)
    await sign_in(page, provider)
    await page.goto("/aanbieder/import")
    await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(csv_file))
    await page.get_by_role("button", name="Importeren").click()
    await expect(page.get_by_role("status")).to_contain_text("2 rijen aanvaard")
    report = page.locator("table.report tbody tr")
    await expect(report).to_have_count(2)
    await expect(report.nth(0)).to_contain_text("3")
    await expect(report.nth(0)).to_contain_text("soort")
    await expect(report.nth(0)).to_contain_text("Kies een soort uit de lijst. Ingevuld: spaceship")
    await expect(report.nth(1)).to_contain_text("postcode")
    await check_page(page, "csv-import")

    # Anyone finds the two good offers in the catalogue, without any contact data.
    await page.goto(f"/catalogus?q={run}")
    for _ in range(120):
        if "2 aanbiedingen gevonden" in await page.locator("#aantal").inner_text():
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(page.locator("#aantal")).to_have_text("2 aanbiedingen gevonden")
    assert "jan.claes@garage.example" not in await page.content()
    await page.get_by_label("Regio").select_option("Antwerpen")  # htmx swaps the results
    await expect(page.locator("#aantal")).to_have_text("0 aanbiedingen gevonden")
    await page.get_by_label("Regio").select_option("Limburg")
    await page.get_by_label("Graad").select_option("G3")
    await expect(page.locator("#aantal")).to_have_text("2 aanbiedingen gevonden")
    await check_page(page, "catalogus-zoeken")


async def test_dashboard_admin_inbox_and_roles(
    context: BrowserContext, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db.begin() as session:  # an open need in Limburg, so the radar has a row
        await store_need(session, events.need("3500"))
    coordinator = await accounts.create("coordinator", region="Limburg")
    page = await new_page(context)
    await sign_in(page, coordinator)
    await page.goto("/dashboard")
    for _ in range(40):  # the figures may be a few seconds old (``remembered``'s ``lagging``)
        if await page.locator("table.heat").count():
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(page.get_by_text("Cijfers van")).to_be_visible()
    await expect(page.locator("table.heat").first).to_contain_text("eerste graad")
    await expect(page.locator("table.heat").first).to_contain_text("tweede graad")
    drawn = await page.evaluate(
        "[...document.querySelectorAll('canvas')].every((c) => window.Chart.getChart(c))"
    )
    assert drawn is True
    await check_page(page, "dashboard")
    await page.goto("/inbox")
    await check_page(page, "inbox-coordinator")
    await page.goto("/school")
    await expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    await check_page(page, "geen-toegang")
    await page.get_by_role("button", name="Afmelden").click()
    await page.wait_for_url("**/aanmelden")

    admin = await accounts.create("admin")
    await sign_in(page, admin)
    assert page.url.endswith("/beheer")
    await expect(page.locator("#coordinatoren")).to_be_visible()
    await expect(page.get_by_text(coordinator.email).first).to_be_visible()
    await page.get_by_label("Rol").select_option("coordinator")
    await page.get_by_label("Naam").fill("Els Vermeulen")
    await page.get_by_label("E-mailadres", exact=True).fill(f"els-{admin.token[:6]}@rtc.example")
    await page.get_by_label("Wachtwoord (minstens 8 tekens)").fill("een lang wachtwoord")
    await page.get_by_label("Regio (coördinator)").select_option("West-Vlaanderen")
    await page.get_by_role("button", name="Bewaren").click()
    await expect(page.get_by_role("status")).to_contain_text("bewaard")
    await expect(page.locator("#coordinatoren").locator("xpath=..")).to_contain_text(
        "Els Vermeulen"
    )
    await check_page(page, "beheer")


async def test_queue_on_a_phone(browser: Browser, base_url: str, accounts: Accounts) -> None:
    coordinator = await accounts.create("coordinator", region="Limburg")
    async with open_context(browser, base_url) as profile:
        page = await new_page(profile)
        await page.set_viewport_size({"width": 390, "height": 844})
        await sign_in(page, coordinator)
        await page.goto("/beoordelen?status=")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400  # nothing wider than the phone
        await check_page(page, "voorstellen-telefoon")
