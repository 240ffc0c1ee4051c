"""The demo world is valid contract input and covers every kind, region and the lower grades."""

from datetime import date

import pytest

from services.demo import world
from shared import taxonomy
from shared.contracts import NeedSubmitted, OfferSubmitted
from tests.builders import today

TODAY = today()
NEXT_YEAR = TODAY.year + 1


def test_every_event_round_trips_through_the_contract() -> None:
    for need in world.needs(TODAY):
        assert NeedSubmitted.model_validate_json(need.model_dump_json(exclude_none=True)) == need
    for offer in world.offers(TODAY):
        assert OfferSubmitted.model_validate_json(offer.model_dump_json(exclude_none=True)) == offer


def test_world_is_the_promised_size_with_unique_stable_ids() -> None:
    needs, offers = world.needs(TODAY), world.offers(TODAY)
    assert len({need.school.institution_number for need in needs}) == 30
    assert len(offers) >= 60
    assert len({need.need_id for need in needs}) == len(needs)
    assert len({offer.offer_id for offer in offers}) == len(offers)
    assert [need.need_id for need in world.needs(TODAY)] == [need.need_id for need in needs]
    assert world.offers(TODAY)[5].model_dump(exclude={"event_id"}) == offers[5].model_dump(
        exclude={"event_id"}
    )


def test_world_covers_all_kinds_regions_grades_and_provider_types() -> None:
    needs, offers = world.needs(TODAY), world.offers(TODAY)
    assert {need.kind for need in needs} == set(taxonomy.kinds())
    assert {offer.kind for offer in offers} == set(taxonomy.kinds())
    regions = {taxonomy.places()[need.school.postal_code].rtc_region for need in needs}
    assert regions == {
        "Antwerpen",
        "Limburg",
        "Oost-Vlaanderen",
        "Vlaams-Brabant",
        "West-Vlaanderen",
    }
    need_grades = {grade for need in needs for grade in need.grades}
    assert {"G1", "G2"} <= need_grades
    assert {"G1", "G2"} <= {grade for offer in offers for grade in offer.grades}
    assert {offer.provider.type for offer in offers} == {
        "company",
        "sector_organisation",
        "training_centre",
    }
    assert any(need.replacement is not None for need in needs)


def test_fields_span_every_studiedomein() -> None:
    fields = {p.field for p in world.needs(TODAY)} | {p.field for p in world.offers(TODAY)}
    domains = {taxonomy.field_domains()[field] for field in fields}
    assert set(taxonomy.field_domains().values()) <= domains


@pytest.mark.parametrize(
    "day", [TODAY, date(NEXT_YEAR, 8, 31), date(NEXT_YEAR, 9, 1)], ids=["today", "31-8", "1-9"]
)
def test_periods_lie_in_the_coming_school_year(day: date) -> None:
    first, last = world.school_year(day)
    assert first > day and (first.month, first.day, last.month, last.day) == (9, 1, 6, 30)
    for posting in [*world.needs(day), *world.offers(day)]:
        assert first <= posting.period.start <= posting.period.end <= last


@pytest.mark.parametrize(
    ("base", "expected"), [(4031707, "0403.170.701"), (2022399, "0202.239.951")]
)
def test_enterprise_numbers_carry_their_mod_97_check_digits(base: int, expected: str) -> None:
    assert world.enterprise_number(base) == expected
