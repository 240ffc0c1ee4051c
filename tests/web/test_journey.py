"""The whole stack in the browser: a provider posts offers, a school posts a need, the
coordinator of the school's region sees the suggestions appear without reloading, compares,
rejects one with its reason and accepts the other; the school's inbox shows the match with the
provider's contact and the provider sees the school. A coordinator of another region sees
nothing of it."""

import uuid

from playwright.async_api import Browser, expect

from tests.api.builders import Accounts
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page, open_context
from tests.web.forms import fill_common, post_offer, wait_until_open
from tests.web.world import enterprise_number, institution_number

# A field other tests leave alone, so the need's top list holds this test's two offers.
FIELD = "koeling-warmte"


async def test_offer_need_suggestion_decision_inbox(
    browser: Browser, base_url: str, accounts: Accounts
) -> None:
    run = uuid.uuid4().hex[:8]
    school_number, provider_number = institution_number(), enterprise_number()
    provider = await accounts.create("provider", provider_number)
    school = await accounts.create("school", school_number)
    coordinator = await accounts.create("coordinator", region="Limburg")
    elsewhere = await accounts.create("coordinator", region="Antwerpen")

    async with open_context(browser, base_url) as provider_context:
        offers = await new_page(provider_context)
        await sign_in(offers, provider)
        # The form checks as it goes: an unknown postal code is named next to the field.
        await offers.goto("/aanbieder/aanbod/nieuw")
        await offers.get_by_label("Postcode").fill("9999")
        await expect(offers.locator("#fout-postal_code")).to_contain_text("Geen postcode")
        await offers.get_by_label("Postcode").fill("3600")
        await expect(offers.locator("#plaats")).to_have_text("Genk · RTC Limburg")
        await expect(offers.locator("#fout-postal_code")).to_be_empty()
        await offers.get_by_label("Titel").fill("EV")
        await expect(offers.locator("#fout-title")).to_have_text("Minstens 3 tekens.")
        await check_page(offers, "aanbod-formulier")

        await post_offer(offers, f"web-{run}-near", f"EV-werkplaats Genk {run}", FIELD, "3600")
        await post_offer(offers, f"web-{run}-far", f"Werkplaats Leuven {run}", FIELD, "3000")
        await wait_until_open(offers, f"web-{run}-near")
        await wait_until_open(offers, f"web-{run}-far")

        async with (
            open_context(browser, base_url) as coordinator_context,
            open_context(browser, base_url) as school_context,
        ):
            queue = await new_page(coordinator_context)
            await sign_in(queue, coordinator)
            await queue.goto(f"/beoordelen?status=open&school={school_number}")
            await expect(queue.locator("#wachtrij-titel")).to_have_text("0 voorstellen")
            await queue.evaluate("window.notReloaded = true")

            needs = await new_page(school_context)
            await sign_in(needs, school)
            await needs.goto("/school/behoeften/nieuw")
            need_id = f"web-{run}-need"
            await fill_common(needs, need_id, f"Bedrijfsstage EV-diagnose {run}", FIELD, "3500")
            await expect(needs.locator("#plaats")).to_have_text("Hasselt · RTC Limburg")
            await needs.get_by_label("Maximale afstand (km)").fill("60")
            await needs.get_by_label("Aantal dagen nodig").fill("5")
            await check_page(needs, "behoefte-formulier")
            await needs.get_by_role("button", name="Behoefte posten").click()
            await needs.wait_for_url("**/school?verstuurd=*")

            # The suggestions arrive in the open queue by polling, without a reload.
            # (Offers other tests left open in Limburg may be suggested too.)
            card = queue.locator(f'[data-need-id="{need_id}"]')
            near = card.locator(".candidate", has_text=f"EV-werkplaats Genk {run}")
            far = card.locator(".candidate", has_text=f"Werkplaats Leuven {run}")
            await expect(near).to_have_count(1, timeout=480_000)  # behind earlier streams
            await expect(far).to_have_count(1, timeout=30_000)
            assert await queue.evaluate("window.notReloaded") is True
            await expect(near.locator("meter")).not_to_have_count(0)
            await expect(near.locator(".explanation")).to_contain_text("km")
            await check_page(queue, "voorstellen")

            await far.locator("summary").click()
            await far.get_by_label("Reden").select_option("too_far")
            await far.get_by_label("Toelichting").fill("Leuven is te ver voor een week <stage>.")
            await far.get_by_role("button", name="Afwijzen").click()
            pair = f"Bedrijfsstage EV-diagnose {run} ↔ "
            await expect(queue.locator(".notice")).to_have_text(
                f"Voorstel afgewezen: {pair}Werkplaats Leuven {run}"
            )
            await expect(far).to_have_count(0)
            await near.get_by_role("button", name="Aanvaarden").click()
            await expect(queue.locator(".notice")).to_contain_text(
                f"Voorstel aanvaard: {pair}EV-werkplaats Genk {run}"
            )

            await queue.get_by_label("Status").select_option("rejected")
            rejected = queue.locator(".candidate", has_text=f"Werkplaats Leuven {run}")
            await expect(rejected).to_contain_text(
                "Te ver — Leuven is te ver voor een week <stage>."
            )
            await queue.get_by_label("Status").select_option("accepted")
            await expect(
                queue.locator(".candidate", has_text=f"EV-werkplaats Genk {run}")
            ).to_contain_text("aanvaard")
            await check_page(queue, "voorstellen-aanvaard")

            # The school's inbox shows the match with the provider's contact.
            inbox = needs.locator('[data-notification-type="accepted"]')
            for _ in range(120):
                await needs.goto("/inbox")
                if await inbox.count():
                    break
                await needs.wait_for_timeout(500)
            await expect(inbox.first).to_contain_text(provider.email)
            await check_page(needs, "inbox-school")
            await needs.goto("/school")
            need_card = needs.locator(f'[data-posting-id="{need_id}"]')
            await expect(need_card).to_contain_text(provider.email)
            await expect(need_card.locator(".badge").first).to_have_text("vervuld")
            await check_page(needs, "school-behoeften")

        # The provider sees the school's contact on its accepted offer only.
        await offers.goto("/aanbieder")
        near_card = offers.locator(f'[data-posting-id="web-{run}-near"]')
        await expect(near_card).to_contain_text(school.email)
        await expect(near_card).to_contain_text("1 van 2 plaatsen geboekt")
        await expect(offers.locator(f'[data-posting-id="web-{run}-far"]')).not_to_contain_text(
            school.email
        )
        await check_page(offers, "aanbieder-aanbod")

    async with open_context(browser, base_url) as other_context:
        other = await new_page(other_context)
        await sign_in(other, elsewhere)
        await other.goto(f"/beoordelen?status=&school={school_number}")
        await expect(other.locator("#wachtrij-titel")).to_have_text("0 voorstellen")
        await other.goto("/beoordelen?status=")
        await expect(other.locator("#wachtrij")).not_to_contain_text(run)
