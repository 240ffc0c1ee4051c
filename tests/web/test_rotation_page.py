"""The rotation plan in the browser: the provider posts a diagnose car, three schools of
Limburg ask for it, the coordinator opens the plan from the queue card, sees who gets the car
when on the timeline and accepts it, and finds the rotation on its dashboard; the provider then
sees the loans as bars on its own page.
axe-core finds nothing serious on any of them."""

import asyncio
import uuid
from datetime import date
from typing import Any

import httpx
from playwright.async_api import BrowserContext, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.known_postings import store_need
from services.review.suggestions import apply_suggested
from services.review.tables import ReviewOffer
from shared.contracts import Period
from tests.api.builders import Accounts, offer_body, wait_for_status
from tests.builders import today
from tests.notifier import events
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page

Sessions = async_sessionmaker[AsyncSession]
YEAR = today().year + 1
SCHOOL_YEAR = Period(start=date(YEAR, 9, 1), end=date(YEAR + 1, 6, 30))
RUN = uuid.uuid4().hex[:6]  # the schools' names are this test's own in the queue
ASKED = {  # school -> the months it asks the car for
    f"VTI Hasselt {RUN}": Period(start=date(YEAR, 9, 1), end=date(YEAR + 1, 1, 31)),
    f"KTA Genk {RUN}": Period(start=date(YEAR + 1, 1, 1), end=date(YEAR + 1, 3, 31)),
    f"GO! Tongeren {RUN}": Period(start=date(YEAR + 1, 2, 16), end=date(YEAR + 1, 6, 30)),
}


async def _posted_car(base_url: str, bearer: dict[str, str], number: str) -> str:
    """The provider posts the car through the API; its id once the review state knows it."""
    body: dict[str, Any] = offer_body(
        number,
        kind="equipment_loan",
        title="Diagnosewagen",
        capacity=1,
        turnaround_days=14,
        period={"start": SCHOOL_YEAR.start.isoformat(), "end": SCHOOL_YEAR.end.isoformat()},
    )
    async with httpx.AsyncClient(base_url=base_url) as api:
        posted = await api.post("/api/offers", json=body, headers=bearer)
        assert posted.status_code == 202, posted.text
        await wait_for_status(api, posted.json()["status_url"], bearer, {"open"})
    return str(body["offer_id"])


async def _asked_by_three_schools(db: Sessions, offer_id: str) -> None:
    for _ in range(200):  # the review state learns of the offer from the pipeline
        async with db() as session:
            if await session.get(ReviewOffer, offer_id) is not None:
                break
        await asyncio.sleep(0.1)
    car = events.offer().model_copy(update={"offer_id": offer_id})
    async with db.begin() as session:
        for name, period in ASKED.items():
            need = events.need(kind="equipment_loan", school_name=name)
            need = need.model_copy(update={"period": period})
            await store_need(session, need)
            await apply_suggested(session, events.suggested(need, car))


async def test_a_coordinator_accepts_a_rotation_and_the_provider_sees_its_timeline(
    context: BrowserContext, accounts: Accounts, db: Sessions, base_url: str
) -> None:
    number = events.offer().provider.enterprise_number
    provider = await accounts.create("provider", number)
    offer_id = await _posted_car(base_url, provider.bearer, number)
    await _asked_by_three_schools(db, offer_id)
    coordinator = await accounts.create("coordinator", region="Limburg")

    page = await new_page(context)
    await sign_in(page, coordinator)
    await page.goto(f"/beoordelen?school=KTA+Genk+{RUN}&status=open")
    await page.locator(f'a[href="/rotatie/{offer_id}"]').first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Diagnosewagen")
    planned = page.locator("svg .bar.planned")
    await expect(planned).to_have_count(2)  # one car, three schools: two fit in the year
    await expect(page.get_by_role("img", name="Tijdlijn van Diagnosewagen")).to_be_visible()
    await check_page(page, "rotatieplan")

    await page.get_by_role("button", name="Heel het plan aanvaarden").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Rotatieplan aanvaard")
    await expect(page.locator("li", has_text="Aanvaard (1)")).to_have_count(2)
    await page.goto("/dashboard")
    rotation = page.locator(f'figure[data-offer-id="{offer_id}"]')
    await expect(rotation.locator("svg .bar")).to_have_count(2)
    await check_page(page, "dashboard-rotaties")

    offers = await new_page(context)
    await context.clear_cookies()
    await sign_in(offers, provider)
    await offers.goto("/aanbieder")
    card = offers.locator(f'article[data-posting-id="{offer_id}"]')
    await expect(card.locator("svg .bar")).to_have_count(2)
    await expect(card.locator("svg .bar.planned")).to_have_count(0)
    await card.get_by_text("Uitleningen als tabel").click()
    loans = card.get_by_role("table", name="Uitleningen van Diagnosewagen")
    await expect(loans).to_contain_text(f"VTI Hasselt {RUN}")
    await expect(loans).to_contain_text(f"GO! Tongeren {RUN}")
    await check_page(offers, "aanbieder-tijdlijn")
