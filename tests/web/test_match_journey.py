"""A loan's journey in Chromium: the school and the provider each mark their steps on the match
page (dates agreed, delivered, returned, checked), the school rates the loan, the school next
in the car's rotation finds in its inbox that the car is coming, and the coordinator sees what
the school said of the provider. Each page passes axe-core.
"""

import asyncio

from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.contracts import NeedRegistered, Period, Provider, School
from tests.api.builders import Account, Accounts
from tests.review.conftest import accept, suggested_pairs
from tests.review.test_capacity_in_time import AUTUMN, LIMBURG, SPRING, diagnose_car, school
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page, open_context
from tests.web.world import enterprise_number, institution_number


def need_of(number: str, period: Period) -> NeedRegistered:
    """A school of ``number`` that wants the car for ``period``."""
    place = School(institution_number=number, name=f"School {number}", postal_code="3500")
    return school(period).model_copy(update={"school": place})


async def mark(page: Page, step_label: str, reached: str) -> None:
    """Press the step's button on the match page and wait for the page to show the step."""
    await page.get_by_role("button", name=f"Markeer: {step_label}").click()
    await expect(page.locator("[data-step]")).to_have_attribute("data-step", reached)


async def inbox_shows(page: Page, text: str) -> None:
    """Reload the inbox until the notifier has put ``text`` in it."""
    async with asyncio.timeout(60):
        while True:
            await page.goto("/inbox")
            if await page.get_by_text(text).count():
                return
            await asyncio.sleep(0.5)


async def test_a_loan_is_delivered_returned_and_rated_and_the_next_school_hears_of_it(
    browser: Browser,
    base_url: str,
    accounts: Accounts,
    db: async_sessionmaker[AsyncSession],
) -> None:
    numbers = {"provider": enterprise_number(), "autumn": institution_number()}
    numbers["spring"] = institution_number()
    people: dict[str, Account] = {
        "provider": await accounts.create("provider", numbers["provider"]),
        "autumn": await accounts.create("school", numbers["autumn"]),
        "spring": await accounts.create("school", numbers["spring"]),
    }
    lender = Provider(
        enterprise_number=numbers["provider"],
        name="Diagnose Car",
        type="sector_organisation",
        postal_code="3600",
    )
    car = diagnose_car().model_copy(update={"provider": lender})
    autumn, spring = await suggested_pairs(
        db, [need_of(numbers["autumn"], AUTUMN), need_of(numbers["spring"], SPRING)], car
    )
    for match in (autumn, spring):
        assert await accept(db, LIMBURG, match.match_id) == "accepted"
    path = f"/matches/{autumn.match_id}"

    async with (
        open_context(browser, base_url) as school_context,
        open_context(browser, base_url) as provider_context,
    ):
        at_school, at_provider = await new_page(school_context), await new_page(provider_context)
        await sign_in(at_school, people["autumn"])
        await sign_in(at_provider, people["provider"])
        await at_school.goto(path)
        await expect(at_school.get_by_role("button", name="Markeer: geleverd")).to_have_count(0)
        await mark(at_school, "data afgesproken", "dates_agreed")
        await check_page(at_school, "match-verloop-school")

        await at_provider.goto(path)
        await mark(at_provider, "geleverd", "delivered")
        await check_page(at_provider, "match-verloop-aanbieder")

        await at_school.goto(path)
        await mark(at_school, "teruggegeven", "returned")
        await at_provider.goto(path)
        await mark(at_provider, "nagekeken", "checked")

        await at_school.goto(path)
        await at_school.get_by_label("4", exact=True).check()
        await at_school.get_by_label("Eén zin (optioneel)").fill("Vlot geleverd, <top> wagen")
        await at_school.get_by_role("button", name="Bewaar de beoordeling").click()
        await expect(
            at_school.get_by_text("School: 4 op 5 — Vlot geleverd, <top> wagen")
        ).to_be_visible()
        await check_page(at_school, "match-beoordeeld")

    async with open_context(browser, base_url) as next_context:
        next_school = await new_page(next_context)
        await sign_in(next_school, people["spring"])
        await inbox_shows(next_school, "Het toestel komt naar u")
        await check_page(next_school, "inbox-toestel-onderweg")

    async with open_context(browser, base_url) as coordinator_context:
        coordinator = await new_page(coordinator_context)
        await sign_in(coordinator, await accounts.create("coordinator", region="Limburg"))
        await coordinator.goto(f"/matches/{spring.match_id}")  # the provider's next loan
        await expect(coordinator.locator("[data-track-record]")).to_have_text(
            "4,0 op 5 (1 beoordeling)"
        )
        await check_page(coordinator, "match-staat-van-dienst")
