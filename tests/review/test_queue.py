"""The review queue (``services.review.queue``) on the real database: the periods come from the
review state's own tables, each reviewer sees the queue of the regions it reviews, a suggestion
is late by the rule the caller gives, a page's cards take the same few queries however many
needs it shows, and a total beyond the exact bound is estimated."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from services.review.actors import Actor
from services.review.known_postings import store_need, store_offer
from services.review.queries import Count, MatchFilter
from services.review.queue import CANDIDATES_SHOWN, NeedCard, need_cards
from services.review.suggestions import apply_suggested
from shared.contracts import Period
from tests.builders import NEED_END, NEED_START
from tests.notifier import events
from tests.notifier.builders import unique
from tests.review.conftest import Sessions, suggested_pairs

LIMBURG = Actor.coordinator("rtc@limburg.example", "Limburg")
WEST = Actor.coordinator("rtc@west-vlaanderen.example", "West-Vlaanderen")
ADMIN = Actor.admin("beheer@schakel.example")


def _never(_: datetime) -> bool:
    return False


async def _school_in_two_regions(sessions: Sessions) -> tuple[str, dict[str, str]]:
    """One school name with a need in Limburg and one in West-Vlaanderen, each suggested an
    offer whose period starts a week after the need's; the need id of each region."""
    name = unique("school")
    offer_period = Period(start=NEED_START + timedelta(days=7), end=NEED_END + timedelta(days=7))
    needs = {}
    for postal_code in ("3500", "8000"):
        need = events.need(postal_code, school_name=name)
        offer = events.offer().model_copy(update={"period": offer_period})
        await suggested_pairs(sessions, [need], offer)
        needs[need.place.rtc_region] = need.need_id
    return name, needs


async def _regions(sessions: Sessions, actor: Actor, school_name: str) -> set[str]:
    async with sessions() as session:
        cards, _ = await need_cards(session, actor, MatchFilter(text=school_name), 0, 10, _never)
    return {card.need.rtc_region for card in cards}


async def test_each_reviewer_sees_the_queue_of_the_regions_it_reviews(sessions: Sessions) -> None:
    name, _ = await _school_in_two_regions(sessions)
    assert await _regions(sessions, ADMIN, name) == {"Limburg", "West-Vlaanderen"}
    assert await _regions(sessions, LIMBURG, name) == {"Limburg"}
    assert await _regions(sessions, WEST, name) == {"West-Vlaanderen"}
    assert await _regions(sessions, Actor("coordinator", "rtc@nowhere.example"), name) == set()


async def test_a_card_shows_the_periods_the_review_state_keeps(
    sessions: Sessions,
) -> None:
    name, needs = await _school_in_two_regions(sessions)
    async with sessions() as session:
        (card,), total = await need_cards(session, LIMBURG, MatchFilter(text=name), 0, 10, _never)
    assert (total.value, total.exact, card.need.need_id) == (1, True, needs["Limburg"])
    assert card.period == (NEED_START, NEED_END)
    (candidate,) = card.candidates
    assert candidate.offer_period == (NEED_START + timedelta(days=7), NEED_END + timedelta(days=7))
    assert not candidate.late


async def test_an_open_suggestion_is_late_by_the_rule_the_caller_gives(sessions: Sessions) -> None:
    name, _ = await _school_in_two_regions(sessions)
    asked: list[datetime] = []

    def waited_too_long(suggested_at: datetime) -> bool:
        asked.append(suggested_at)
        return True

    async with sessions() as session:
        (card,), _ = await need_cards(
            session, LIMBURG, MatchFilter(text=name), 0, 10, waited_too_long
        )
    assert [c.late for c in card.candidates] == [True]
    assert len(asked) == 1 and datetime.now(UTC) - asked[0] < timedelta(minutes=5)


async def _needs_with_candidates(sessions: Sessions, needs: int, offers: int) -> str:
    """``needs`` needs of one new school in Limburg, each suggested ``offers`` offers with
    falling scores; the school's name."""
    name = unique("school")
    async with sessions.begin() as session:
        for _ in range(needs):
            need = events.need("3500", school_name=name)
            await store_need(session, need)
            for place in range(offers):
                offer = events.offer()
                await store_offer(session, offer)
                match = events.suggested(need, offer, rank=place + 1)
                await apply_suggested(
                    session, match.model_copy(update={"score": 0.9 - place / 100})
                )
    return name


async def _statements_for_page(sessions: Sessions, name: str) -> tuple[int, list[NeedCard]]:
    """The statements one page of the school's queue takes, and its cards."""
    engine = sessions.kw["bind"].sync_engine
    sent: list[str] = []

    def count(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        async with sessions() as session:
            cards, _ = await need_cards(session, LIMBURG, MatchFilter(text=name), 0, 10, _never)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent), cards


async def test_cards_show_each_needs_best_candidates_in_as_many_queries_for_six_needs_as_two(
    sessions: Sessions,
) -> None:
    few, cards = await _statements_for_page(sessions, await _needs_with_candidates(sessions, 2, 1))
    assert len(cards) == 2
    many, cards = await _statements_for_page(
        sessions, await _needs_with_candidates(sessions, 6, CANDIDATES_SHOWN + 2)
    )
    assert many == few
    assert len(cards) == 6  # the page's ten best suggestions are of all six needs
    for card in cards:
        assert [c.match.rank for c in card.candidates] == list(range(1, CANDIDATES_SHOWN + 1))


async def test_a_total_above_the_exact_bound_is_the_databases_estimate(sessions: Sessions) -> None:
    name = await _needs_with_candidates(sessions, 4, 1)
    wanted = MatchFilter(text=name)
    async with sessions() as session:
        _, exact = await need_cards(session, LIMBURG, wanted, 0, 10, _never, exact_up_to=4)
        _, estimated = await need_cards(session, LIMBURG, wanted, 0, 10, _never, exact_up_to=3)
    assert exact == Count(4, exact=True)
    assert not estimated.exact and estimated.value >= 4
