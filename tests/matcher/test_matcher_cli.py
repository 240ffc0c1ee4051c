"""``python -m services.matcher.cli rematch``: recomputes the lists of one region, or all."""

import asyncio
import os
import sys

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.batches import key_of
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore
from services.matcher.tables import MatchSuggestion
from shared.contracts import NeedRegistered, OfferRegistered
from shared.taxonomy import kind_group
from tests.matcher.events import fresh_period, need_event, offer_event
from tests.stack import REPO


async def test_rematch_of_a_region_suggests_for_its_needs_only(
    db: async_sessionmaker[AsyncSession],
) -> None:
    period = fresh_period()
    limburg = need_event(period)
    antwerp = need_event(period, place=offer_event(period, "2000", "auto", "-").place)
    offers = [offer_event(period, "3600", "auto", "EV-werkplaats Genk"),
              offer_event(period, "2018", "auto", "EV-werkplaats Antwerpen")]  # fmt: skip
    # A model another test published is followed first (a running matcher would have re-ranked
    # every list with it already), so the command re-ranks only the region it is asked for.
    await MatcherService(db, MatcherSettings()).follow_ranking()
    async with db() as session, session.begin():  # stored, as if consumed while nobody matched
        store = MatcherStore(session)
        postings: list[NeedRegistered | OfferRegistered] = [limburg, antwerp, *offers]
        for posting in postings:
            await _store(store, posting)

    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.matcher.cli", "rematch", "--region", "Limburg",
        cwd=REPO, env=dict(os.environ), stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    output, _ = await command.communicate()

    assert command.returncode == 0
    assert " suggested, " in output.decode()
    assert await _suggested_offers(db, limburg.need_id) == [offers[0].offer_id]
    assert await _suggested_offers(db, antwerp.need_id) == []


async def _store(store: MatcherStore, posting: NeedRegistered | OfferRegistered) -> None:
    payload = posting.model_dump(mode="json")
    side, posting_id = key_of(posting)
    await store.save_postings(kind_group(posting.kind), [(side, posting_id, 1, "open", payload)])


async def _suggested_offers(db: async_sessionmaker[AsyncSession], need_id: str) -> list[str]:
    async with db() as session:
        rows = await session.scalars(
            select(MatchSuggestion.offer_id).where(
                MatchSuggestion.need_id == need_id, MatchSuggestion.status == "suggested"
            )
        )
        return list(rows.all())
