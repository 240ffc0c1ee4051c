"""A teacher internship and its replacement activity show as one bundle in the queue; a
suggestion older than the reminder delay is marked; an acceptance is revoked with a reason."""

from datetime import UTC, datetime, timedelta

from playwright.async_api import BrowserContext, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.known_postings import store_need, store_offer
from services.review.suggestions import apply_suggested
from tests.api.builders import Accounts
from tests.notifier import events
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page


async def test_bundle_late_marker_and_revocation(
    context: BrowserContext, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    internship = events.need("3500", replacement=True, school_name="KTA Hasselt")
    replacement = events.need(
        "3500", kind="replacement_activity", linked_need_id=internship.need_id
    ).model_copy(update={"school": internship.school})
    offer, activity = events.offer(capacity=2), events.offer(provider_name="Syntra Limburg")
    two_weeks_ago = datetime.now(UTC) - timedelta(days=14)
    async with db.begin() as session:
        await store_offer(session, offer)
        await store_offer(session, activity)
        await store_need(session, internship)
        await store_need(session, replacement)
        await apply_suggested(session, events.suggested(internship, offer, at=two_weeks_ago))
        await apply_suggested(session, events.suggested(replacement, activity))

    coordinator = await accounts.create("coordinator", region="Limburg")
    page = await new_page(context)
    await sign_in(page, coordinator)
    await page.goto(f"/beoordelen?status=open&school={internship.school.institution_number}")
    card = page.locator(f'[data-need-id="{internship.need_id}"]')
    await expect(card).to_contain_text("Bundel: bedrijfsstage met vervangende activiteit")
    await expect(card).to_contain_text("Vervangende activiteit:")
    await expect(card.locator(".candidate")).to_have_count(2)
    await expect(page.locator(f'[data-need-id="{replacement.need_id}"]')).to_have_count(0)
    late = card.locator(".candidate.is-late")
    await expect(late).to_have_count(1)
    await expect(late).to_contain_text("Wacht langer dan 3 werkdagen")
    await check_page(page, "voorstellen-bundel")

    await late.get_by_role("button", name="Aanvaarden").click()
    await expect(page.locator(".notice")).to_contain_text(
        f"Voorstel aanvaard: {internship.title} ↔ "
    )
    await page.get_by_label("Status").select_option("accepted")
    await expect(page.locator(".candidate", has_text="Syntra Limburg")).to_have_count(0)
    accepted = page.locator(".candidate", has_text=offer.title).first
    await accepted.locator("summary").click()
    await accepted.get_by_label("Waarom?").fill("Het bedrijf annuleert de stage.")
    await accepted.get_by_role("button", name="Intrekken").click()
    await expect(page.locator(".notice")).to_contain_text("Aanvaarding ingetrokken: ")
    await page.get_by_label("Status").select_option("revoked")
    await expect(page.locator(".candidate").first).to_contain_text(
        "Ingetrokken: Het bedrijf annuleert de stage."
    )
