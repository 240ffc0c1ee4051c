"""Joining Schakel in the browser, on a laptop and on a phone, with every mail read from the
mail sink the running notifier delivers to: a company signs up, confirms its address by the
mailed link and shows as waiting on /beheer; the coordinator of its region (mailed about it)
approves it on /aanmeldingen and the company posts an offer that is published. A company the
region refuses is told why and cannot publish; a coordinator of another region neither sees its
application nor is mailed about it. A forgotten password is reset by the mailed link and the
old sign-in ends. An organisation's admin invites a colleague who accepts and signs in."""

import re
import uuid

import pytest
from playwright.async_api import Browser, Page, expect

from tests.api.builders import PASSWORD, Accounts
from tests.api.mail import parts
from tests.mail_sink import SmtpServer
from tests.web.browser import check_page, sign_in
from tests.web.conftest import open_context
from tests.web.forms import fill_common, post_offer, wait_until_open
from tests.web.mailbox import SCREENS, mail_in_sink, mailed_link, screen_page, sign_in_with
from tests.web.world import enterprise_number, institution_number

NEW_PASSWORD = "een heel nieuw wachtwoord"
NAME = "Bouw & Zonen <NV>"

screens = pytest.mark.parametrize("screen", list(SCREENS))


async def fill_sign_up(page: Page, number: str, email: str) -> None:
    """Fill /registreren for the company ``NAME`` in Hasselt (Limburg)."""
    await page.goto("/registreren")
    await page.get_by_label("Bedrijf (ondernemingsnummer)").check()
    await page.get_by_label("Instellings- of ondernemingsnummer").fill(number)
    await page.get_by_label("Naam van de organisatie").fill(NAME)
    await page.get_by_label("Postcode").fill("3500")
    await page.get_by_label("Uw naam").fill("Hilde Maes")
    await page.get_by_label("Uw e-mailadres").fill(email)
    await page.get_by_label("Kies een wachtwoord").fill(PASSWORD)


async def confirm_by_mail(page: Page, smtp: SmtpServer, email: str) -> None:
    """Open the mailed link and confirm the address."""
    await page.goto(await mailed_link(smtp, email, "bevestig", "/registreren/bevestigen"))
    await page.get_by_role("button", name="Bevestig mijn e-mailadres").click()
    await expect(page.get_by_role("status")).to_contain_text("RTC Limburg beoordeelt nu")


@screens
async def test_a_company_signs_up_is_approved_by_its_region_and_posts(
    browser: Browser, base_url: str, accounts: Accounts, smtp: SmtpServer, screen: str
) -> None:
    run, number = uuid.uuid4().hex[:8], enterprise_number()
    email = f"hilde-{run}@bouw.example"
    coordinator = await accounts.create("coordinator", region="Limburg")
    async with open_context(browser, base_url) as applicant_context:
        page = await screen_page(applicant_context, screen)
        await fill_sign_up(page, number, email)
        await check_page(page, f"registreren-{screen}")
        await page.get_by_role("button", name="Aanmelden").click()
        await expect(page.get_by_role("status")).to_contain_text("we stuurden een mail")

        confirm = await mail_in_sink(smtp, email, "bevestig uw e-mailadres")
        assert "Bouw &amp; Zonen &lt;NV&gt;" in parts(confirm)[1]
        await page.goto(await mailed_link(smtp, email, "bevestig", "/registreren/bevestigen"))
        await check_page(page, f"registreren-bevestigen-{screen}")
        await page.get_by_role("button", name="Bevestig mijn e-mailadres").click()
        await expect(page.get_by_role("status")).to_contain_text(
            f"RTC Limburg beoordeelt nu de aanmelding van {NAME}"
        )

        async with open_context(browser, base_url) as admin_context:
            beheer = await screen_page(admin_context, screen)
            await sign_in(beheer, await accounts.create("admin"))
            await beheer.goto("/beheer")
            await beheer.get_by_label("Status").select_option("pending")
            await beheer.get_by_role("button", name="Tonen").click()
            await expect(beheer.locator("tr", has_text=number)).to_contain_text(f"{NAME}")
            await expect(beheer.locator("tr", has_text=number)).to_contain_text(
                "wacht op goedkeuring"
            )
            await check_page(beheer, f"beheer-wachtend-{screen}")

        async with open_context(browser, base_url) as rtc_context:
            queue = await screen_page(rtc_context, screen)
            await sign_in(queue, coordinator)
            await queue.goto(
                await mailed_link(
                    smtp, coordinator.email, "wacht op uw goedkeuring", "/aanmeldingen"
                )
            )
            card = queue.locator("article.card", has_text=number)
            await expect(card.get_by_role("heading")).to_have_text(NAME)
            await check_page(queue, f"aanmeldingen-{screen}")
            await card.get_by_role("button", name="Goedkeuren").click()
            await expect(queue.get_by_role("status")).to_have_text(
                f"{NAME} is goedgekeurd; de aanvrager krijgt een mail."
            )
            await expect(queue.locator("article.card", has_text=number)).to_have_count(0)
        assert (
            "gepubliceerd en gematcht"
            in parts(await mail_in_sink(smtp, email, "is goedgekeurd"))[0]
        )
        await sign_in_with(page, email, PASSWORD)
        await post_offer(page, f"join-{run}", f"Werf in Hasselt {run}", "bouw", "3500")
        await wait_until_open(page, f"join-{run}")
        await check_page(page, f"nieuw-aanbod-{screen}")


@screens
async def test_a_forgotten_password_is_reset_by_the_mailed_link_and_old_sign_ins_end(
    browser: Browser, base_url: str, accounts: Accounts, smtp: SmtpServer, screen: str
) -> None:
    school = await accounts.create("school", institution_number())
    async with (
        open_context(browser, base_url) as old_context,
        open_context(browser, base_url) as new_context,
    ):
        old = await screen_page(old_context, screen)
        await sign_in(old, school)
        start = old.url

        page = await screen_page(new_context, screen)
        await page.goto("/aanmelden")
        await page.get_by_role("link", name="Wachtwoord vergeten").click()
        await page.get_by_label("E-mailadres").fill(school.email)
        await page.get_by_role("button", name="Stuur mij een link").click()
        await expect(page.get_by_role("status")).to_be_visible()
        await check_page(page, f"wachtwoord-vergeten-{screen}")
        await page.goto(
            await mailed_link(smtp, school.email, "nieuw wachtwoord", "/wachtwoord-herstellen")
        )
        await page.get_by_label(re.compile(r"^Nieuw wachtwoord \(")).fill(NEW_PASSWORD)
        await page.get_by_label("Nieuw wachtwoord, nog eens").fill(NEW_PASSWORD)
        await check_page(page, f"wachtwoord-herstellen-{screen}")
        await page.get_by_role("button", name="Wachtwoord bewaren").click()
        await expect(page.get_by_role("status")).to_have_text(
            "Uw nieuwe wachtwoord is bewaard. Meld u ermee aan."
        )
        await mail_in_sink(smtp, school.email, "uw wachtwoord is gewijzigd")

        await old.goto(start)
        await expect(old).to_have_url(re.compile(r"/aanmelden"))  # the old sign-in ended
        await old.get_by_label("E-mailadres").fill(school.email)
        await old.get_by_label("Wachtwoord").fill(PASSWORD)
        await old.get_by_role("button", name="Aanmelden").click()
        await expect(old.get_by_role("alert")).to_be_visible()  # the old password is gone
        await sign_in_with(page, school.email, NEW_PASSWORD)
        await expect(page).to_have_url(re.compile(r"/school"))


@screens
async def test_an_admin_invites_a_colleague_who_accepts_and_signs_in(
    browser: Browser, base_url: str, accounts: Accounts, smtp: SmtpServer, screen: str
) -> None:
    admin = await accounts.create("provider", enterprise_number())  # the first user: its admin
    colleague = f"nora-{uuid.uuid4().hex[:8]}@bouw.example"
    async with (
        open_context(browser, base_url) as admin_context,
        open_context(browser, base_url) as guest_context,
    ):
        page = await screen_page(admin_context, screen)
        await sign_in(page, admin)
        await page.goto("/organisatie")
        await page.get_by_label("E-mailadres van uw collega").fill(colleague)
        await page.get_by_role("button", name="Uitnodiging sturen").click()
        await expect(page.locator("tr", has_text=colleague)).to_contain_text("(uitgenodigd)")
        await check_page(page, f"organisatie-{screen}")

        guest = await screen_page(guest_context, screen)
        await guest.goto(await mailed_link(smtp, colleague, "nodigt u uit", "/uitnodiging"))
        await guest.get_by_label("Uw naam").fill("Nora <Maes>")
        await guest.get_by_label("Kies een wachtwoord").fill(NEW_PASSWORD)
        await check_page(guest, f"uitnodiging-{screen}")
        await guest.get_by_role("button", name="Aanvaarden").click()
        await expect(guest.get_by_role("status")).to_contain_text("Welkom!")
        await sign_in_with(guest, colleague, NEW_PASSWORD)
        await guest.goto("/organisatie")
        await expect(guest.locator("tr", has_text=colleague)).to_contain_text("Nora <Maes>")
        await expect(guest.locator("tr", has_text=admin.email)).to_have_count(1)
        await expect(guest.get_by_role("button", name="Uitnodiging sturen")).to_have_count(0)
        await check_page(guest, f"organisatie-collega-{screen}")

        await page.reload()
        await expect(page.locator("tr", has_text=colleague)).not_to_contain_text("(uitgenodigd)")


@screens
async def test_a_refused_company_cannot_publish_and_another_region_never_hears_of_it(
    browser: Browser, base_url: str, accounts: Accounts, smtp: SmtpServer, screen: str
) -> None:
    number = enterprise_number()
    email = f"hilde-{uuid.uuid4().hex[:8]}@bouw.example"
    coordinator = await accounts.create("coordinator", region="Limburg")
    elsewhere = await accounts.create("coordinator", region="Antwerpen")
    async with open_context(browser, base_url) as applicant_context:
        page = await screen_page(applicant_context, screen)
        await fill_sign_up(page, number, email)
        await page.get_by_role("button", name="Aanmelden").click()
        await confirm_by_mail(page, smtp, email)
        await mail_in_sink(smtp, coordinator.email, "wacht op uw goedkeuring")

        async with open_context(browser, base_url) as other_context:
            other = await screen_page(other_context, screen)
            await sign_in(other, elsewhere)
            await other.goto("/aanmeldingen")
            await expect(other.get_by_role("heading", level=1)).to_have_text("Nieuwe organisaties")
            await expect(other.locator("main")).not_to_contain_text(number)

        async with open_context(browser, base_url) as rtc_context:
            queue = await screen_page(rtc_context, screen)
            await sign_in(queue, coordinator)
            await queue.goto("/aanmeldingen")
            card = queue.locator("article.card", has_text=number)
            await card.get_by_label("Reden van weigering").fill("Geen bedrijf <in Limburg>")
            await card.get_by_role("button", name="Weigeren").click()
            await expect(queue.get_by_role("status")).to_contain_text("geweigerd")
        refusal = parts(await mail_in_sink(smtp, email, "geweigerd"))[0]
        assert "Geen bedrijf <in Limburg>" in refusal
        # mailed (if at all) with the Limburg coordinator, so well before the refusal
        assert smtp.sink.to(elsewhere.email) == []

        await sign_in_with(page, email, PASSWORD)
        await page.goto("/aanbieder/aanbod/nieuw")
        await fill_common(page, f"refused-{number}", "Werf in Hasselt", "bouw", "3500")
        await page.get_by_label("Type organisatie").select_option("company")
        await page.get_by_label("Capaciteit (leraars, toestellen, plaatsen)").fill("2")
        await page.get_by_role("button", name="Aanbod posten").click()
        await expect(page.locator("main")).to_contain_text(
            "tot dan wordt niets gepubliceerd of gematcht"
        )
        await check_page(page, f"geweigerd-aanbod-{screen}")
        await page.goto("/aanbieder")
        await expect(page.locator(f'[data-posting-id="refused-{number}"]')).to_have_count(0)
