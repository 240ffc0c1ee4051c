"""The postings a matcher holds leave the garbage collector's full passes once they grew by a
step since the last freeze, so a full pass scans the few objects made since, not every held
offer (a pause that set the latency's tail while needs streamed in)."""

import gc
from collections.abc import Iterator

import pytest

from services.matcher.domain import StoredState
from services.matcher.engine import Matcher
from services.matcher.heap import HeldPostings
from services.matcher.settings import MatcherSettings
from tests.bench.generate import Generator


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen in this test process."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def _scanned(objects: list[object]) -> int:
    """How many of ``objects`` a full collection would scan."""
    tracked = {id(o) for o in gc.get_objects()}
    return sum(id(o) in tracked for o in objects)


def test_postings_taken_up_after_start_are_frozen_once_they_grew_by_a_step() -> None:
    matcher = Matcher(MatcherSettings())
    offers = Generator(3).offers(300)
    held = HeldPostings(step=250)
    matcher.load(StoredState(open_offers=offers[:200]))
    assert not held.now_holding(matcher.postings.held())  # 200 of a step of 250: not yet
    assert _scanned(offers) == 300

    matcher.load(StoredState(open_offers=offers[200:]))
    assert held.now_holding(matcher.postings.held())
    assert gc.get_freeze_count() > 0
    assert _scanned(list(matcher.postings.offers.values())) == 0


def test_closed_postings_lower_the_mark_and_the_next_step_counts_from_there() -> None:
    held = HeldPostings(step=100)
    held.frozen(1_000)
    assert not held.now_holding(1_099)
    assert not held.now_holding(400)  # 600 closed: the mark follows them down
    assert not held.now_holding(499)
    assert held.now_holding(500)
    assert not held.now_holding(599)
