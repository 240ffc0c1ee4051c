"""The allocation page shows each pair's score as the other pages do: a percentage ("58 %")."""

import re

import httpx

from tests.api.builders import Accounts
from tests.api.test_matches import provider_offer, school_need
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs


async def test_the_allocation_page_shows_scores_as_percentages(
    client: httpx.AsyncClient, accounts: Accounts, db: Sessions
) -> None:
    need = school_need(events.institution_number())
    await suggested_pairs(db, [need], provider_offer(1))
    coordinator = await accounts.create("coordinator", region="Limburg")
    page = await client.get("/toewijzing", headers=coordinator.bearer)
    assert page.status_code == 200 and need.title in page.text
    pairs = page.text.split("Voorgestelde matches", 1)[1].split("</table>", 1)[0]
    scores = re.findall(r'<td class="n">([^<]*)</td>\s*</tr>', pairs)
    assert scores and all(re.fullmatch(r"\d{1,3} %", score) for score in scores), scores
