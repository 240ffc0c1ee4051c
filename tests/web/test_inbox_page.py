"""The inbox, an unknown page and the API docs in Chromium, on a laptop and on a phone: a need's
suggestions make one line that leads to each match and says where it stands, "Alles gelezen"
empties the unread; an unknown address is a Dutch page; /docs draws Swagger UI from our own
server under the pages' CSP. Each passes axe-core without a serious or critical finding."""

import re

import pytest
from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.notifications import inbox_owner
from services.review.actors import Actor
from tests.api.builders import Accounts
from tests.api.test_inbox_lines import notify_suggestion
from tests.api.test_matches import provider_offer, school_need
from tests.notifier import events
from tests.review.conftest import accept, suggested_pairs
from tests.web.browser import check_page, sign_in
from tests.web.conftest import new_page

SIZES = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


async def _fits(page: Page, size: str) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"] + 10  # nothing wider than the screen


@pytest.mark.parametrize("size", list(SIZES))
async def test_the_inbox_leads_to_each_match_and_marks_all_read(
    context: BrowserContext,
    accounts: Accounts,
    db: async_sessionmaker[AsyncSession],
    size: str,
) -> None:
    need = school_need(events.institution_number())
    matches = [(await suggested_pairs(db, [need], provider_offer(1)))[0] for _ in range(3)]
    assert await accept(db, Actor.admin("rtc@test.example"), matches[0].match_id) == "accepted"
    coordinator = await accounts.create("coordinator", region="Limburg")
    page = await new_page(context)
    await page.set_viewport_size(SIZES[size])
    await sign_in(page, coordinator)
    me = await (await page.request.get("/api/me")).json()
    owner = inbox_owner("coordinator", me["user_id"], None)
    assert owner is not None
    for age, match in enumerate(matches, start=1):
        await notify_suggestion(db, owner, need, match, age)

    await page.goto("/inbox")
    # the notifier of other tests tells every Limburg coordinator: this need's line is the one
    line = page.locator(
        "article[data-grouped]", has=page.locator(f'a[href="/matches/{matches[0].match_id}"]')
    )
    await expect(line).to_have_count(1)
    await expect(line).to_contain_text(need.title)
    await expect(line).to_contain_text("koeling en warmte")
    await expect(line.locator('[data-match-state="accepted"]')).to_contain_text("aanvaard")
    await expect(line.locator('[data-match-state="open"]')).to_have_count(2)
    await _fits(page, size)
    await check_page(page, f"inbox-{size}")

    await line.locator('[data-match-state="accepted"] a').click()
    await page.wait_for_url(f"**/matches/{matches[0].match_id}")
    await expect(page.get_by_text(need.title).first).to_be_visible()
    await page.goto("/inbox")
    await page.get_by_role("button", name="Alles gelezen").click()
    status = page.get_by_role("status")
    await expect(status).to_contain_text(re.compile(r"\d+ berichten als gelezen gemarkeerd"))
    told = re.search(r"(\d+) berichten", await status.inner_text())
    assert told is not None and int(told.group(1)) >= 3  # ours and any others' lines
    await expect(line).to_have_count(1)
    await expect(line.get_by_role("button", name="Markeer als gelezen")).to_have_count(0)
    await check_page(page, f"inbox-gelezen-{size}")


@pytest.mark.parametrize("size", list(SIZES))
async def test_an_unknown_page_is_dutch_and_the_docs_work_offline(
    context: BrowserContext, base_url: str, size: str
) -> None:
    page = await new_page(context)
    await page.set_viewport_size(SIZES[size])
    answer = await page.goto("/bestaat-niet")
    assert answer is not None and answer.status == 404
    await expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    await expect(page.get_by_role("link", name="Naar de startpagina")).to_be_visible()
    await _fits(page, size)
    await check_page(page, f"niet-gevonden-{size}")

    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((base_url, "data:")) else outside.append(request.url)
        ),
    )
    await page.goto("/docs")
    await expect(page.locator(".swagger-ui .title").first).to_contain_text("Schakel API")
    await expect(page.get_by_text("/api/needs").first).to_be_visible()
    assert outside == []
    assert page.problems == []  # type: ignore[attr-defined]
