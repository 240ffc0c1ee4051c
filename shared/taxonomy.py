"""The taxonomies of SPEC section 3, loaded once from the data files shipped in ``shared/data``."""

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Place:
    """A postal-code locality with its RTC region and WGS84 coordinates."""

    postal_code: str
    locality: str
    province: str
    rtc_region: str
    latitude: float
    longitude: float


def _data_text(name: str) -> str:
    return resources.files("shared").joinpath("data", name).read_text(encoding="utf-8")


@cache
def _taxonomy() -> dict[str, Any]:
    taxonomy: dict[str, Any] = json.loads(_data_text("taxonomy.json"))
    return taxonomy


@cache
def places() -> dict[str, Place]:
    """Postal code -> its first locality (the table is sorted by code, then locality)."""
    rows = csv.DictReader(_data_text("postcodes.csv").splitlines())
    by_code: dict[str, Place] = {}
    for row in rows:
        by_code.setdefault(
            row["postal_code"],
            Place(
                postal_code=row["postal_code"],
                locality=row["locality"],
                province=row["province"],
                rtc_region=row["rtc_region"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            ),
        )
    return by_code


def kinds() -> tuple[str, ...]:
    """The posting kinds, in catalogue order."""
    return tuple(_taxonomy()["kinds"])


def kind_label(kind: str) -> str:
    """The Dutch label of a posting kind."""
    label: str = _taxonomy()["kinds"][kind]["label"]
    return label


def provider_types() -> tuple[str, ...]:
    """The provider type codes: company, sector_organisation, training_centre."""
    return tuple(_taxonomy()["provider_types"])


def provider_type_label(provider_type: str) -> str:
    """The Dutch label of a provider type code."""
    label: str = _taxonomy()["provider_types"][provider_type]["label"]
    return label


def venues() -> tuple[str, ...]:
    """Where an offer takes place: company, training_centre, school, mobile."""
    return tuple(_taxonomy()["venues"])


def venue_label(venue: str) -> str:
    """The Dutch label of a venue code."""
    label: str = _taxonomy()["venues"][venue]["label"]
    return label


def offer_kind_factors(need_kind: str) -> dict[str, float]:
    """Offer kinds a need of ``need_kind`` may match, with the score factor of each."""
    extra: dict[str, float] = _taxonomy()["compatible_offer_kinds"].get(need_kind, {})
    return {need_kind: 1.0, **extra}


def kind_group(kind: str) -> str:
    """The group of kinds a posting of ``kind`` can ever meet (the kinds joined by
    compatibility, named after the first in catalogue order): a need and the offers it may
    match always share their group."""
    return _kind_groups()[kind]


def kind_groups() -> tuple[str, ...]:
    """Every kind group, sorted by name."""
    return tuple(sorted(set(_kind_groups().values())))


@cache
def _kind_groups() -> dict[str, str]:
    group = {kind: kind for kind in kinds()}
    for need_kind in kinds():
        for offer_kind in offer_kind_factors(need_kind):
            joined = {group[need_kind], group[offer_kind]}
            first = min(joined, key=kinds().index)
            group = {kind: first if named in joined else named for kind, named in group.items()}
    return group


def grades() -> tuple[str, ...]:
    """Grade codes in school order: G1, G2, G3, SNS, OV3, DBSO."""
    return tuple(_taxonomy()["grades"])


def grade_label(grade: str) -> str:
    """The Dutch label of a grade code."""
    label: str = _taxonomy()["grades"][grade]["label"]
    return label


@cache
def field_domains() -> dict[str, str | None]:
    """Field code -> its studiedomein; ``None`` for the cross-domain fields."""
    domains: dict[str, str | None] = {
        field: domain
        for domain, fields in _taxonomy()["studiedomeinen"].items()
        for field in fields
    }
    domains.update(dict.fromkeys(_taxonomy()["cross_domain_fields"]))
    return domains


def field_label(field: str) -> str:
    """The Dutch label of a field code."""
    label: str = _taxonomy()["field_labels"][field]
    return label


@cache
def _related_pairs() -> frozenset[frozenset[str]]:
    return frozenset(frozenset(pair) for pair in _taxonomy()["related_fields"])


def field_relation(need_field: str, offer_field: str) -> str | None:
    """How an offer's field relates to a need's: same, related, same_domain,
    cross_domain_offer, or ``None`` when unrelated (never suggested)."""
    domains = field_domains()
    if need_field == offer_field:
        return "same"
    if frozenset((need_field, offer_field)) in _related_pairs():
        return "related"
    if domains[offer_field] is None or domains[need_field] is None:
        return "cross_domain_offer"
    if domains[need_field] == domains[offer_field]:
        return "same_domain"
    return None


def field_closeness(need_field: str, offer_field: str) -> float:
    """Field closeness in [0, 1]; 0 means unrelated."""
    relation = field_relation(need_field, offer_field)
    return 0.0 if relation is None else float(_taxonomy()["field_closeness"][relation])
