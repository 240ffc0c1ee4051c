"""The allocation round in the browser: the coordinator sees the proposal beside greedy top-1,
accepts it in one go, and every accepted pair is reported. axe-core finds nothing serious."""

from playwright.async_api import BrowserContext, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.builders import Accounts
from tests.notifier import events
from tests.review.conftest import suggested_pairs
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page

KIND = "infrastructure_access"


async def test_a_coordinator_accepts_an_allocation_round(
    context: BrowserContext, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    needs = [events.need("9000").model_copy(update={"kind": KIND}) for _ in range(2)]
    offers = [events.offer(capacity=1).model_copy(update={"kind": KIND}) for _ in range(2)]
    matches = [match for offer in offers for match in await suggested_pairs(db, needs, offer)]
    coordinator = await accounts.create("coordinator", region="Oost-Vlaanderen")

    page = await new_page(context)
    await sign_in(page, coordinator)
    await page.goto(f"/toewijzing?soort={KIND}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Oost-Vlaanderen")
    ticked = page.locator("input[name=match_id]:checked")
    await expect(ticked).not_to_have_count(0)
    proposed = {await box.get_attribute("value") for box in await ticked.all()}
    assert proposed <= {match.match_id for match in matches}
    await check_page(page, "toewijzingsronde")

    await page.get_by_role("button", name="Aangevinkte matches aanvaarden").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Toewijzingsronde aanvaard")
    await expect(page.locator("li", has_text="Aanvaard (1)")).to_have_count(len(proposed))
    await check_page(page, "toewijzingsronde-aanvaard")
