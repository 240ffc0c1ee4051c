"""One's mail choices and an organisation's webhook, in the browser (axe-core on each screen): a
coordinator takes suggestions in the daily overview and no reminders; a company's admin is
refused an address inside a network, saves a public one and pings it, seeing the signature sent
and what came back."""

import re

import pytest
from playwright.async_api import Browser, expect

from tests.api.builders import Accounts
from tests.web.browser import check_page, sign_in
from tests.web.conftest import open_context
from tests.web.mailbox import SCREENS, screen_page
from tests.web.world import enterprise_number

screens = pytest.mark.parametrize("screen", list(SCREENS))


@screens
async def test_a_coordinator_chooses_how_each_kind_of_mail_comes(
    browser: Browser, base_url: str, accounts: Accounts, screen: str
) -> None:
    coordinator = await accounts.create("coordinator", region="Limburg")
    async with open_context(browser, base_url) as context:
        page = await screen_page(context, screen)
        await sign_in(page, coordinator)
        await page.goto("/account/voorkeuren")
        suggestions = page.get_by_role("group", name="Een nieuw voorstel (match) in uw regio")
        reminders = page.get_by_role("group", name=re.compile("^Een herinnering"))
        await expect(suggestions.get_by_label("Meteen een mail")).to_be_checked()
        await suggestions.get_by_label("In één overzicht per dag").check()
        await reminders.get_by_label("Geen mail").check()
        await page.get_by_role("button", name="Bewaren").click()
        await expect(page.get_by_role("status")).to_have_text("Uw voorkeuren zijn bewaard.")
        await expect(suggestions.get_by_label("In één overzicht per dag")).to_be_checked()
        await expect(reminders.get_by_label("Geen mail")).to_be_checked()
        await check_page(page, f"voorkeuren-{screen}")


@screens
async def test_a_company_admin_sets_and_pings_its_webhook(
    browser: Browser, base_url: str, accounts: Accounts, screen: str
) -> None:
    admin = await accounts.create("provider", enterprise_number())  # the first user: its admin
    async with open_context(browser, base_url) as context:
        page = await screen_page(context, screen)
        await sign_in(page, admin)
        await page.goto("/account/voorkeuren")
        await page.get_by_role("link", name="Webhook van uw organisatie").click()
        address = page.get_by_label("Adres (https://…)")
        await address.fill("https://0x7f000001/schakel")
        await page.get_by_role("button", name="Webhook bewaren").click()
        await expect(page.get_by_role("alert")).to_contain_text("binnen een netwerk")
        await expect(address).to_have_value("https://0x7f000001/schakel")
        await address.fill("https://hooks.bouw.example/schakel")
        await page.get_by_role("button", name="Webhook bewaren").click()
        await expect(page.get_by_role("status")).to_have_text("De webhook is bewaard.")
        await expect(page.locator("code", has_text="whsec_")).to_be_visible()
        await page.get_by_role("button", name="Test (ping) sturen").click()
        result = page.get_by_role("status")
        await expect(result).to_contain_text(re.compile(r"X-Schakel-Signature: t=\d+,v1="))
        await expect(result).to_contain_text("Fout:")  # no such host here: the error is shown
        await check_page(page, f"webhook-{screen}")
        await page.get_by_role("button", name="Webhook verwijderen").click()
        await expect(page.get_by_role("status")).to_have_text("De webhook is verwijderd.")
        await expect(address).to_have_value("")
