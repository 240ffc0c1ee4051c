"""Provider types and venues are labelled in one place, the taxonomy, for every value the
contract allows."""

from typing import get_args

from shared import taxonomy
from shared.contracts import OfferSubmitted
from shared.contracts.common import Provider


def test_every_provider_type_and_venue_of_the_contract_has_a_dutch_label() -> None:
    provider_types = get_args(Provider.model_fields["type"].annotation)
    venues = get_args(OfferSubmitted.model_fields["venue"].annotation)
    assert set(taxonomy.provider_types()) == set(provider_types)
    assert set(taxonomy.venues()) == set(venues)
    assert taxonomy.provider_type_label("training_centre") == "Opleidingscentrum"
    assert taxonomy.venue_label("mobile") == "Wordt geleverd (mobiel)"
