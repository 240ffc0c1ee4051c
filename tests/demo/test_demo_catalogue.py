"""The demo catalogue file loads, every reference in it resolves and its values are known ones."""

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from services.demo import catalogue
from shared import taxonomy


def _text() -> str:
    return resources.files("services.demo").joinpath("catalogue.json").read_text(encoding="utf-8")


def test_the_packaged_file_loads_into_the_typed_tuples() -> None:
    loaded = catalogue.load()
    assert loaded.needs == catalogue.NEEDS and loaded.offers == catalogue.OFFERS
    assert all(isinstance(school, catalogue.School) for school in loaded.schools)
    assert all(isinstance(line, catalogue.OfferLine) for line in loaded.offers)
    assert isinstance(loaded.needs["ev"].keywords, tuple)
    assert {template.venue for template in loaded.needs.values()} == {"company"}


def test_every_template_and_provider_reference_resolves() -> None:
    assert {key for school in catalogue.SCHOOLS for key in school.needs} <= set(catalogue.NEEDS)
    assert {line.template for line in catalogue.OFFERS} <= set(catalogue.OFFER_TEMPLATES)
    assert {line.provider for line in catalogue.OFFERS} <= set(catalogue.PROVIDERS)


def test_values_are_taxonomy_values() -> None:
    templates = [*catalogue.NEEDS.values(), *catalogue.OFFER_TEMPLATES.values()]
    assert {template.kind for template in templates} <= set(taxonomy.kinds())
    assert {template.field for template in templates} <= set(taxonomy.field_domains())
    assert {grade for template in templates for grade in template.grades} <= set(taxonomy.grades())
    postal_codes = {school.postal_code for school in catalogue.SCHOOLS}
    assert postal_codes | {line.postal_code for line in catalogue.OFFERS} <= set(taxonomy.places())


def test_a_dangling_reference_is_refused() -> None:
    data = json.loads(_text())
    data["schools"][0]["needs"] = ["ev", "no-such-template"]
    data["offers"][0]["provider"] = "no-such-provider"
    with pytest.raises(ValueError, match=r"no-such-template.*no-such-provider"):
        catalogue.load(json.dumps(data))


@pytest.mark.parametrize(
    ("section", "change"),
    [("offers", {"capacity": "2"}), ("schools", {"website": "x"}), ("offers", {"capacity": 1.5})],
    ids=["string-for-int", "unknown-key", "float-for-int"],
)
def test_wrong_types_and_unknown_keys_are_refused(section: str, change: dict[str, object]) -> None:
    data = json.loads(_text())
    data[section][0].update(change)
    with pytest.raises(ValidationError):
        catalogue.load(json.dumps(data))
