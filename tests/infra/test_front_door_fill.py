"""The front door's benchmark fills its world through the public topics: every posting it
produces must be one intake registers (a refused one would leave the world smaller than the
figures say), and the shapes its routes ask for must be there."""

import json
from collections import Counter

from shared import topics
from shared.contracts import NeedSubmitted, OfferSubmitted
from shared.taxonomy import places
from tests.bench import front_door_fill as fill
from tests.bench.front_door_world import PROVIDER, PROVIDER_OFFERS, SCHOOL

NEEDS = 700


def test_every_posting_is_a_valid_submission_on_its_public_topic() -> None:
    offers, needs = fill.offer_records(2 * NEEDS), fill.need_records(NEEDS)

    assert {topic for topic, _, _ in offers} == {topics.OFFERS_SUBMITTED}
    assert {topic for topic, _, _ in needs} == {topics.NEEDS_SUBMITTED}
    for _, key, value in offers:
        assert OfferSubmitted.model_validate_json(value).offer_id == key
    for _, key, value in needs:
        assert NeedSubmitted.model_validate_json(value).need_id == key
    assert len({key for _, key, _ in offers + needs}) == 3 * NEEDS


def test_the_world_has_the_shapes_the_routes_ask_for() -> None:
    regions = {code: place.rtc_region for code, place in places().items()}
    needs = [json.loads(value) for _, _, value in fill.need_records(NEEDS)]
    offers = [json.loads(value) for _, _, value in fill.offer_records(2 * NEEDS)]

    schools = Counter(need["school"]["institution_number"] for need in needs)
    assert len(schools) == fill.SCHOOLS
    assert schools[SCHOOL] == NEEDS // fill.SCHOOLS
    limburg = {
        need["school"]["name"]
        for need in needs
        if regions[need["school"]["postal_code"]] == "Limburg"
    }
    assert {"School 1", "School 12"} <= limburg  # the queue's school and its school filter
    by_region = Counter(regions[need["school"]["postal_code"]] for need in needs)
    assert by_region.most_common(1)[0][0] == "Limburg"
    assert len(by_region) == 5
    providers = Counter(offer["provider"]["enterprise_number"] for offer in offers)
    assert providers[PROVIDER] == PROVIDER_OFFERS
    assert len({regions[offer["provider"]["postal_code"]] for offer in offers}) == 5
    words = " ".join(offer["title"] + " " + offer["description"] for offer in offers)
    assert "lassen" in words and "elektrische voertuigen" in words  # the catalogue's searches
