"""The vectorised engine ranks exactly like the naive all-pairs matcher on generated data."""

import pytest

from services.matcher.domain import Batch, StoredState
from services.matcher.engine import Matcher
from services.matcher.settings import Weights
from services.matcher.text import TextModel
from tests.bench.generate import Generator
from tests.bench.naive import TextVectors, naive_top_k
from tests.matcher.builders import SETTINGS


def text_vectors(texts: dict[str, str]) -> TextVectors:
    model = TextModel()
    terms = model.terms(list(texts.values()))
    model.refit(terms)
    rows = model.weigh(terms)
    return {
        posting_id: dict(zip(rows[row].indices.tolist(), rows[row].data.tolist(), strict=True))
        for row, posting_id in enumerate(texts)
    }


@pytest.mark.parametrize("one_by_one", [False, True])
@pytest.mark.parametrize("seed", [1, 2])
def test_engine_top_k_equals_naive_all_pairs(seed: int, one_by_one: bool) -> None:
    """Needs scored in blocks (a full re-match) and each alone (registered one by one: a
    single need's own path, whose cheap rules first narrow the whole partition of offers)."""
    generator = Generator(seed)
    needs, offers = generator.needs(150), generator.offers(1500)
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_needs=needs, open_offers=offers))
    if one_by_one:
        for need in needs:
            matcher.register_need(need)
    else:
        matcher.rematch()
    vectors = text_vectors(
        {n.need_id: n.text for n in needs} | {o.offer_id: o.text for o in offers}
    )

    suggested = 0
    for need in needs:
        expected = naive_top_k(need, offers, vectors, SETTINGS)
        got = [(s.offer_id, s.score) for s in matcher.suggestions(need.need_id)]
        assert [offer_id for offer_id, _ in got] == [offer_id for offer_id, _ in expected]
        assert [score for _, score in got] == pytest.approx([s for _, s in expected], abs=2e-4)
        suggested += len(got)
    assert suggested > len(needs)  # the data leaves room to choose, so the test can fail


@pytest.mark.parametrize("batch", [1, 9, 400])
def test_offers_arriving_in_batches_leave_the_lists_a_full_rematch_makes(batch: int) -> None:
    """Text weighs nothing here: its IDF weights are refitted as postings come, which moves
    the text scores of lists kept since (by design), not the ranks of the other components."""
    settings = SETTINGS.model_copy(update={"weights": Weights(text=0.0)})
    generator = Generator(3)
    needs, offers = generator.needs(120), generator.offers(1200)
    arriving = Matcher(settings)
    arriving.load(StoredState(open_needs=needs, open_offers=offers[:600]))
    arriving.rematch()
    for at in range(600, len(offers), batch):
        arriving.apply(Batch(offers=offers[at : at + batch]))
    whole = Matcher(settings)
    whole.load(StoredState(open_needs=needs, open_offers=offers))
    whole.rematch()

    lists = {need.need_id: arriving.suggestions(need.need_id) for need in needs}
    assert sum(len(held) for held in lists.values()) > len(needs)  # room to choose
    for need in needs:
        expected = [(s.offer_id, s.score) for s in whole.suggestions(need.need_id)]
        assert [(s.offer_id, s.score) for s in lists[need.need_id]] == expected
