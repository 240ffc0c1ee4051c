"""A school's and a provider's week in the browser: the Dutch Excel template downloaded, filled
in and imported with a Dutch report per row (its example row skipped); a need changed through
its edit form and withdrawn with "Intrekken", which another school cannot do to it (404); a
need without a match told which rule kept the nearest offers out."""

import io
import uuid
from pathlib import Path

import anyio
from openpyxl import load_workbook
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.api.builders import Accounts
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page, open_context
from tests.web.forms import fill_common, post_offer, wait_until_open
from tests.web.world import enterprise_number, institution_number

PHONE = {"width": 390, "height": 844}


def _filled_in(template: bytes, run: str) -> bytes:
    """The template with two rows added: a good one, and one with an unknown field and a date
    that does not exist. The example row is left in, as people do."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    assert sheet is not None
    example = [cell.value for cell in sheet[2]]
    good = [f"xl-{run}-1", *example[1:8], f"Werkplaats {run}", *example[9:]]
    bad = [f"xl-{run}-2", *example[1:8], f"Andere {run}", example[9], "autotechniek",
           *example[11:13], "31/02/2027", *example[14:]]  # fmt: skip
    sheet.append(good)
    sheet.append(bad)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def test_the_excel_template_filled_in_imports_with_a_dutch_report(
    context: BrowserContext, accounts: Accounts, tmp_path: Path
) -> None:
    run, number = uuid.uuid4().hex[:8], enterprise_number()
    provider = await accounts.create("provider", number)
    page = await new_page(context)
    await sign_in(page, provider)
    await page.goto("/aanbieder/import")
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Excel-werkmap").click()
    template = await anyio.Path(await (await download.value).path()).read_bytes()
    workbook = anyio.Path(tmp_path / "aanbod.xlsx")
    await workbook.write_bytes(_filled_in(template, run))

    await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(workbook))
    await page.get_by_role("button", name="Importeren").click()
    await expect(page.get_by_role("status")).to_have_text(
        "1 rij aanvaard en naar de intake verstuurd; 1 rij geweigerd; voorbeeldrij 2 overgeslagen."
    )
    report = page.locator("table.report tbody tr")
    await expect(report).to_have_count(2)
    await expect(report.nth(0)).to_contain_text("4")
    await expect(report.filter(has_text="vakgebied")).to_contain_text(
        "Kies een vakgebied uit de lijst. Ingevuld: autotechniek"
    )
    await expect(report.filter(has_text="begindatum")).to_contain_text("Vul een geldige datum in.")
    await check_page(page, "import-excel")
    await page.set_viewport_size(PHONE)
    await check_page(page, "import-excel-telefoon")


async def _posted_need(page: Page, need_id: str, title: str) -> None:
    await page.goto("/school/behoeften/nieuw")
    await fill_common(page, need_id, title, "hout", "3500")
    await page.get_by_role("button", name="Behoefte posten").click()
    await page.wait_for_url("**/school?verstuurd=*")
    await wait_until_open(page, need_id)


async def test_a_school_changes_and_withdraws_its_need_and_no_other_school_can(
    context: BrowserContext, browser: Browser, base_url: str, accounts: Accounts
) -> None:
    run = uuid.uuid4().hex[:8]
    school = await accounts.create("school", institution_number())
    other = await accounts.create("school", institution_number())
    need_id = f"web-{run}-trek"
    page = await new_page(context)
    await sign_in(page, school)
    await _posted_need(page, need_id, f"Meedraaien in de schrijnwerkerij {run}")
    card = page.locator(f'[data-posting-id="{need_id}"]')

    await card.get_by_role("link", name="Wijzigen").click()
    await expect(page.get_by_label("Titel")).to_have_value(
        f"Meedraaien in de schrijnwerkerij {run}"
    )
    await expect(page.get_by_label("Postcode")).to_have_value("3500")
    await page.get_by_label("Titel").fill(f"Twee weken in de schrijnwerkerij {run}")
    await check_page(page, "behoefte-wijzigen")
    await page.get_by_role("button", name="Wijziging versturen").click()
    await page.wait_for_url("**/school?verstuurd=*")
    for _ in range(120):
        if await card.get_by_role(
            "heading", name=f"Twee weken in de schrijnwerkerij {run}"
        ).count():
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(card.locator("h2")).to_have_text(f"Twee weken in de schrijnwerkerij {run}")

    # Another school, signed in elsewhere, neither withdraws nor opens it: as if it did not exist.
    async with open_context(browser, base_url) as elsewhere:
        intruder = await new_page(elsewhere)
        await sign_in(intruder, other)
        token = await intruder.locator('meta[name="csrf-token"]').get_attribute("content")
        refused = await intruder.request.post(
            f"/school/behoeften/{need_id}/intrekken", form={"csrf_token": token or ""}
        )
        assert refused.status == 404
        opened = await intruder.request.get(f"/school/behoeften/{need_id}/bewerken")
        assert opened.status == 404

    await card.get_by_text("Intrekken", exact=True).click()
    await card.get_by_role("button", name="Ja, intrekken").click()
    await page.wait_for_url("**/school?ingetrokken=*")
    await expect(page.get_by_role("status")).to_contain_text(f"Intrekking verstuurd: {need_id}")
    badge = card.locator(".badge").first
    for _ in range(120):
        if await badge.inner_text() == "teruggetrokken":
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(badge).to_have_text("teruggetrokken")
    await expect(card.get_by_text("Intrekken", exact=True)).to_have_count(0)
    await check_page(page, "behoefte-ingetrokken")
    await page.set_viewport_size(PHONE)
    await check_page(page, "behoefte-ingetrokken-telefoon")


async def test_a_need_without_a_match_is_told_why_by_the_matchers_rules(
    context: BrowserContext, browser: Browser, base_url: str, accounts: Accounts
) -> None:
    run = uuid.uuid4().hex[:8]
    school = await accounts.create("school", institution_number())
    other = await accounts.create("school", institution_number())
    provider = await accounts.create("provider", enterprise_number())
    async with open_context(browser, base_url) as provider_context:
        offers = await new_page(provider_context)
        await sign_in(offers, provider)
        await post_offer(offers, f"web-{run}-genk", f"Labo Genk {run}", "chemie", "3600")
        await wait_until_open(offers, f"web-{run}-genk")

    page = await new_page(context)
    await sign_in(page, school)
    need_id = f"web-{run}-ieper"
    await page.goto("/school/behoeften/nieuw")
    await fill_common(page, need_id, f"Stage in een labo {run}", "chemie", "8900")
    await page.get_by_label("Maximale afstand (km)").fill("1")
    await page.get_by_role("button", name="Behoefte posten").click()
    await page.wait_for_url("**/school?verstuurd=*")
    # The list follows intake by itself: title and status appear without a reload.
    card = page.locator(f'[data-posting-id="{need_id}"]')
    await expect(card.locator(".badge").first).to_have_text("open", timeout=120_000)
    await expect(card.locator("h2")).to_have_text(f"Stage in een labo {run}")

    # Genk is far from Ieper: the offer is a near miss of the need's distance limit.
    await page.goto(f"/school/behoeften/{need_id}/waarom")
    distance = page.locator('li[data-rule="distance"]')
    for _ in range(120):
        if await distance.count():
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(distance).to_contain_text("uw grens is 1 km. Een grotere afstand helpt.")
    await expect(page.get_by_role("link", name="Behoefte wijzigen")).to_be_visible()
    await check_page(page, "waarom-geen-match")
    await page.set_viewport_size(PHONE)
    await check_page(page, "waarom-geen-match-telefoon")

    async with open_context(browser, base_url) as elsewhere:
        intruder = await new_page(elsewhere)
        await sign_in(intruder, other)
        assert (await intruder.request.get(f"/school/behoeften/{need_id}/waarom")).status == 404
