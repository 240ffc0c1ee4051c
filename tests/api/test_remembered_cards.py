"""Each card of the review queue is remembered by what it shows
(``services/api/pages/queue_fragments.py``): shown as rendered while nothing on it changed, so a
change in the region re-renders only the cards it changed; rendered again as soon as anything
it shows did, and never shown for another card."""

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from services.api.offer_places import OfferPlace
from services.api.pages import queue_fragments
from services.review.queue import Candidate, NeedCard
from services.review.ratings import TrackRecord
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer

SUGGESTED = datetime.now(UTC) - timedelta(days=1)
Places = dict[str, OfferPlace]
Records = dict[str, TrackRecord]


def _need(need_id: str) -> ReviewNeed:
    start = date.today() + timedelta(days=30)
    return ReviewNeed(
        need_id=need_id, title="Lassen", school_name="Atheneum", institution_number="000001",
        kind="teacher_internship", field="auto", grades=["G2", "G3"], quantity=1, quantity_met=0,
        period_start=start, period_end=start + timedelta(days=5), rtc_region="Limburg",
    )  # fmt: skip


def _candidate(need_id: str, n: int) -> Candidate:
    offer = ReviewOffer(
        offer_id=f"{need_id}-offer-{n}", title=f"Werkplaats {n}", provider_name="Garage",
        enterprise_number="0403.170.701", capacity=2,
    )  # fmt: skip
    match = ReviewMatch(
        match_id=f"{need_id}-match-{n}", need_id=need_id, offer_id=offer.offer_id,
        status="open", kind="teacher_internship", score=0.8, rank=n, distance_km=12.0,
        components={"distance": 0.5, "field": 1.0}, explanation="Dichtbij",
        suggested_at=SUGGESTED,
    )  # fmt: skip
    return Candidate(match, offer, late=False, offer_period=None)


def _card(need_id: str) -> NeedCard:
    return NeedCard(_need(need_id), candidates=[_candidate(need_id, n) for n in (1, 2)])


def _shown(card: NeedCard, places: Places | None = None, records: Records | None = None) -> str:
    """The card as the queue shows it; each rendering says which it was."""

    def render() -> str:
        return f"{card.need.need_id} rendering {uuid.uuid4()}"

    key = queue_fragments.card_key(card, places or {}, records or {})
    return str(queue_fragments.card(key, render))


def test_an_unchanged_card_is_shown_as_rendered_before() -> None:
    need_id = f"need-{uuid.uuid4()}"
    first = _shown(_card(need_id))
    assert _shown(_card(need_id)) == first  # read again from the database: the same values


Change = Callable[[NeedCard], tuple[NeedCard, Places, Records]]


def _match_decided(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.candidates[0].match.status = "accepted"
    return card, {}, {}


def _score_component(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.candidates[1].match.components = {"distance": 0.6, "field": 1.0}
    return card, {}, {}


def _offer_renamed(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.candidates[1].offer.title = "Werkplaats elders"
    return card, {}, {}


def _grades(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.need.grades = ["G3"]
    return card, {}, {}


def _waits_too_long(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.candidates[0] = replace(card.candidates[0], late=True)
    return card, {}, {}


def _availability(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.candidates[0] = replace(card.candidates[0], availability="Volzet in deze periode")
    return card, {}, {}


def _place(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    return card, {card.candidates[0].offer.offer_id: OfferPlace("Genk", delivered=False)}, {}


def _track_record(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    return card, {}, {card.candidates[0].offer.enterprise_number: TrackRecord(4.5, 2)}


def _now_accepted_beside(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.accepted = [card.candidates.pop()]  # the same matches, listed apart
    return card, {}, {}


def _bundled(card: NeedCard) -> tuple[NeedCard, Places, Records]:
    card.replacement = _card(f"{card.need.need_id}-replacement")
    return card, {}, {}


@pytest.mark.parametrize(
    "change",
    [
        _match_decided, _score_component, _offer_renamed, _grades, _waits_too_long,
        _availability, _place, _track_record, _now_accepted_beside, _bundled,
    ],
)  # fmt: skip
def test_a_card_is_rendered_again_when_anything_it_shows_changed(change: Change) -> None:
    need_id = f"need-{uuid.uuid4()}"
    before = _shown(_card(need_id))
    assert _shown(*change(_card(need_id))) != before


def test_cards_showing_the_same_values_are_never_shown_for_each_other() -> None:
    run = uuid.uuid4()
    first, second = _card(f"need-{run}-1"), _card(f"need-{run}-1")
    second.need.need_id = f"need-{run}-2"  # all else as the first card
    assert _shown(first).startswith(f"need-{run}-1 ")
    assert _shown(second).startswith(f"need-{run}-2 ")
