"""The vectorised engine ranks exactly like the naive all-pairs matcher on generated data."""

import pytest

from services.matcher.domain import StoredState
from services.matcher.engine import Matcher
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


@pytest.mark.parametrize("seed", [1, 2])
def test_engine_top_k_equals_naive_all_pairs(seed: int) -> None:
    generator = Generator(seed)
    needs, offers = generator.needs(150), generator.offers(1500)
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_needs=needs, open_offers=offers))
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
