"""The coordinator compares and decides in the queue at desktop and phone sizes: candidates side
by side with each offer's place and a delivered offer's distance; the school found by part of
its name with suggestions as one types; the filters in the address (Back shows the filters
before); a message naming the pair; an acceptance revoked from the match itself."""

from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.builders import Accounts
from tests.notifier import events
from tests.notifier.builders import unique
from tests.review.queue_world import offer_in, register_offer, suggest
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page

PHONE = {"width": 390, "height": 844}


async def _top_and_left(page: Page, selector: str) -> list[tuple[float, float]]:
    boxes = [await item.bounding_box() for item in await page.locator(selector).all()]
    return [(box["y"], box["x"]) for box in boxes if box]


async def test_a_coordinator_compares_filters_and_decides_in_the_queue(
    context: BrowserContext, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    run = unique("web")
    genk = offer_in("3600", f"Werkplaats {run}")
    delivered = offer_in("9000", f"Mobiel labo {run}", mobile=True)
    hasselt = offer_in("3500", f"Garage {run}")
    for offer in (genk, delivered, hasselt):
        await register_offer(db, offer)
    need = events.need("3500", quantity=2, school_name=f"VTI Sint-Jan {run}")
    need = need.model_copy(update={"title": f"Stage EV {run}"})
    await suggest(db, need, [genk, delivered, hasselt], km=45.9)

    coordinator = await accounts.create("coordinator", region="Limburg")
    page = await new_page(context)
    await page.set_viewport_size({"width": 1366, "height": 900})
    await sign_in(page, coordinator)
    await page.goto("/beoordelen")

    school = page.get_by_label("School (naam of nummer)")
    await school.press_sequentially(f"sint-jan {run}"[:14])
    await expect(page.locator("#f-school-lijst option")).to_have_count(1, timeout=20_000)
    await school.fill(f"sint-jan {run}")
    await school.press("Enter")
    await page.wait_for_url(f"**/beoordelen?*school=sint-jan+{run}*")
    card = page.locator(f'[data-need-id="{need.need_id}"]')
    await expect(card.locator(".candidate")).to_have_count(3)
    await expect(page.locator("#wachtrij > .need-cards > .card")).to_have_count(1)

    # Side by side on a wide screen, each with its place; the delivered one is "geleverd".
    (first_top, first_left), (second_top, second_left), _ = await _top_and_left(
        page, f'[data-need-id="{need.need_id}"] .candidate'
    )
    assert abs(first_top - second_top) < 1 and second_left > first_left
    await expect(card.locator(".candidate", has_text=genk.title)).to_contain_text("Genk")
    await expect(card.locator(".candidate", has_text=delivered.title)).to_contain_text(
        "Wordt geleverd (46 km van de school)"
    )
    await check_page(page, "voorstellen-vergelijken")

    await (
        card.locator(".candidate", has_text=genk.title)
        .get_by_role("button", name="Aanvaarden")
        .click()
    )
    await expect(page.locator(".notice")).to_have_text(
        f"Voorstel aanvaard: {need.title} ↔ {genk.title}"
    )
    accepted = card.locator(".accepted li", has_text=genk.title)
    await expect(accepted).to_have_count(1)

    # The status filter is in the address; Back shows the open queue and its filter again.
    await page.get_by_label("Status").select_option("accepted")
    await page.wait_for_url("**/beoordelen?status=accepted*")
    await expect(page.locator(".candidate")).to_have_count(1)
    await page.go_back()
    await page.wait_for_url("**/beoordelen?status=open*")
    await expect(page.get_by_label("Status")).to_have_value("open")
    await expect(page.get_by_label("School (naam of nummer)")).to_have_value(f"sint-jan {run}")
    await expect(card.locator(".candidate")).to_have_count(2)

    # Revoked from the accepted match itself, without changing the status filter.
    accepted = card.locator(".accepted li", has_text=genk.title)
    await accepted.get_by_text("Aanvaarding intrekken").click()
    await accepted.get_by_label("Waarom?").fill("Het bedrijf annuleert de stage.")
    await accepted.get_by_role("button", name="Intrekken").click()
    await expect(page.locator(".notice")).to_have_text(
        f"Aanvaarding ingetrokken: {need.title} ↔ {genk.title}"
    )
    await expect(card.locator(".accepted")).to_have_count(0)

    await page.set_viewport_size(PHONE)
    await page.reload()
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 10
    (first_top, _), (second_top, _) = await _top_and_left(
        page, f'[data-need-id="{need.need_id}"] .candidate'
    )
    assert second_top > first_top  # one under the other on a phone
    await check_page(page, "voorstellen-vergelijken-telefoon")
