"""The catalogue's search in Dutch (``services.intake.catalogue``) on the real database: whole
words rather than letters inside words, Dutch word forms as PostgreSQL's Dutch stemmer makes
them, a title hit before a description hit, text that looks like code searched for, and cursor
pages that show every offer exactly once, forward and back."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.catalogue import CatalogueFilter, PageAt, open_offers
from tests.intake.catalogue_world import store_offers

Sessions = async_sessionmaker[AsyncSession]


async def _found(db: Sessions, words: str, size: int = 50) -> list[str]:
    async with db() as session:
        page = await open_offers(session, CatalogueFilter(text=words), PageAt(size), 1_000)
    return [offer["offer_id"].split("-", 1)[1] for offer in page.offers]


async def test_whole_words_and_dutch_word_forms(db: Sessions) -> None:
    run = f"zoek{uuid.uuid4().hex[:8]}"
    await store_offers(
        db,
        run,
        leven={"title": "Gastles cybersecurity", "description": "Veilig leven online"},
        ev={"title": "Meedraaien in de EV-werkplaats"},
        voertuigen={"title": "Elektrische voertuigen herstellen"},
        lassen={"title": "Lassen voor beginners"},
        laswerk={"title": "Laswerk in de praktijk", "description": "Er wordt gelast."},
    )
    assert await _found(db, f"{run} EV") == ["ev"]  # not "leven"
    assert await _found(db, f"{run} voertuig") == ["voertuigen"]
    assert await _found(db, f"{run} elektrisch voertuig") == ["voertuigen"]
    # Dutch snowball stems "lassen" to "lass", "laswerk" and "gelast" stay themselves: a
    # compound or a participle is another word to PostgreSQL's Dutch stemmer.
    assert await _found(db, f"{run} lassen") == ["lassen"]
    assert await _found(db, f"{run} gelast") == ["laswerk"]
    assert sorted(await _found(db, f"{run} lassen or laswerk")) == ["lassen", "laswerk"]


async def test_a_title_hit_comes_before_a_description_hit(db: Sessions) -> None:
    run = f"rang{uuid.uuid4().hex[:8]}"
    await store_offers(
        db,
        run,
        a_description={"title": "Stage", "description": "Een week koeltechniek in de praktijk."},
        b_keyword={"title": "Werkplekleren", "keywords": ["koeltechniek"]},
        c_title={"title": "Koeltechniek voor de tweede graad"},
    )
    assert await _found(db, f"{run} koeltechniek") == ["c_title", "b_keyword", "a_description"]


async def test_text_that_looks_like_code_is_searched_for(db: Sessions) -> None:
    run = f"code{uuid.uuid4().hex[:8]}"
    await store_offers(
        db,
        run,
        script={"title": "Webapps: <script> veilig schrijven"},
        table={"title": "Databanken: een table droppen en terugzetten"},
    )
    assert await _found(db, f"{run} <script>") == ["script"]
    assert await _found(db, f"{run} '; drop table") == []  # "drop" is not "droppen"
    assert await _found(db, f"{run} '; table") == ["table"]
    # "or" between words means either, as in a web search engine: this test's word, or "1".
    assert sorted(await _found(db, f"{run} ' OR '1'='1")) == ["script", "table"]
    assert await _found(db, f"{run} -script") == ["table"]


async def _pages(db: Sessions, wanted: CatalogueFilter, size: int) -> list[list[str]]:
    """Every page, following the next cursor from the first, then back to the first."""
    forward: list[list[str]] = []
    at = PageAt(size)
    async with db() as session:
        while True:
            page = await open_offers(session, wanted, at, 1_000)
            forward.append([offer["offer_id"] for offer in page.offers])
            if page.next is None:
                break
            at = PageAt(size, after=page.next)
        backward = [forward[-1]]
        while page.previous is not None:
            page = await open_offers(session, wanted, PageAt(size, before=page.previous), 1_000)
            backward.insert(0, [offer["offer_id"] for offer in page.offers])
    assert backward == forward
    return forward


async def test_cursor_pages_show_every_offer_once_forward_and_back(db: Sessions) -> None:
    run = f"blad{uuid.uuid4().hex[:8]}"
    texts: dict[str, dict[str, Any]] = {f"o{i}": {"title": "Stage"} for i in range(5)}
    texts |= {f"t{i}": {"title": f"Stage {run}"} for i in range(3)}  # ranked higher
    await store_offers(db, run, **texts)
    pages = await _pages(db, CatalogueFilter(text=run), 3)
    assert [len(page) for page in pages] == [3, 3, 2]
    found = [offer_id.split("-", 1)[1] for page in pages for offer_id in page]
    assert sorted(found[:3]) == ["t0", "t1", "t2"] and sorted(found) == sorted(texts)
    # Browsing without words: every open offer once, in order of period start.
    every = [offer_id for page in await _pages(db, CatalogueFilter(), 100) for offer_id in page]
    assert len(every) == len(set(every))
    assert [f"{run}-{name}" for name in texts] == [i for i in every if i.startswith(run)]
