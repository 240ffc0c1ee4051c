"""The vocabulary page in the browser: an administrator reaches it from /beheer, adds a pair
with the form and sees it listed; it passes axe-core without a serious or critical finding."""

import uuid

from playwright.async_api import BrowserContext, expect
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.tables import MatcherTermPair
from tests.api.builders import Accounts
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page


async def test_an_administrator_adds_a_pair_on_the_page(
    context: BrowserContext, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    term = f"boulangerie{uuid.uuid4().hex[:5]}"
    page = await new_page(context)
    await sign_in(page, await accounts.create("admin"))
    await page.get_by_role("link", name="Termen van de woordenlijst").click()
    form = page.get_by_role("region", name="Paar toevoegen")  # proposals have their own buttons
    await form.get_by_label("Vakgebied").select_option("voeding")
    await form.get_by_label("Term", exact=True).fill(term)
    await form.get_by_label("Betekent hetzelfde als").fill("broodbakker")
    await form.get_by_role("button", name="Toevoegen").click()

    await expect(page.get_by_role("status")).to_contain_text("toegevoegd")
    await expect(page.locator("#toegevoegd").locator("xpath=..")).to_contain_text(term)
    await check_page(page, "termen")
    async with db.begin() as session:  # out of the vocabulary again for other tests
        await session.execute(
            update(MatcherTermPair)
            .where(MatcherTermPair.term == term)
            .values(removed_at=func.now())
        )
