"""Every contract model accepts the SPEC examples and rejects bad input with a precise message."""

import uuid
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from shared.contracts import (
    MatchDecided,
    MatchSuggested,
    MatchWithdrawn,
    NeedSubmitted,
    NeedWithdrawn,
    OfferSubmitted,
    OfferWithdrawn,
    to_field_errors,
)
from tests.builders import days_from_today, in_days, need_event, offer_event

SUGGESTED = {
    "event_id": str(uuid.uuid4()),
    "match_id": "m-1",
    "need_id": "vti-hasselt-2027-014",
    "offer_id": "garage-x-2027-01",
    "kind": "teacher_internship",
    "score": 0.87,
    "rank": 1,
    "distance_km": 12.4,
    "rtc_region": "Limburg",
    "components": {"distance": 0.91, "field": 1.0, "grade": 1.0, "period": 1.0, "text": 0.42},
    "explanation": "Zelfde vakgebied (auto), 12 km, graad 3 past, periode overlapt 5 van 5 dagen.",
    "suggested_at": f"{days_from_today(50)}T09:12:03Z",
}


def errors_of(model: type[BaseModel], document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(document)
    return {error.field: error.message for error in to_field_errors(raised.value.errors())}


def test_spec_need_example_is_accepted_and_normalised() -> None:
    need = NeedSubmitted.model_validate(
        need_event(
            field=" Auto ",
            grades=["g3", "G1", "G3"],
            keywords=["Élektrische  Voertuigen", "diagnose", "DIAGNOSE"],
            replacement={"grades": ["G3"], "pupils": 16},
        )
    )
    assert need.field == "auto"
    assert need.grades == ["G1", "G3"]
    assert need.keywords == ["elektrische voertuigen", "diagnose"]
    assert need.replacement is not None and need.replacement.pupils == 16


def test_spec_offer_example_is_accepted_with_formatted_enterprise_number() -> None:
    offer = OfferSubmitted.model_validate(
        offer_event(provider={**offer_event()["provider"], "enterprise_number": "BE 0403170701"})
    )
    assert offer.provider.enterprise_number == "0403.170.701"
    assert offer.period.days is None and offer.capacity == 2


def test_match_events_accept_the_spec_examples() -> None:
    assert MatchSuggested.model_validate(SUGGESTED).components.text == 0.42
    withdrawn = {
        "event_id": str(uuid.uuid4()),
        "match_id": "m-1",
        "need_id": "n",
        "offer_id": "o",
        "reason": "offer_withdrawn",
        "withdrawn_at": f"{days_from_today(51)}T10:00:00Z",
    }
    assert MatchWithdrawn.model_validate(withdrawn).reason == "offer_withdrawn"
    decided = {
        "event_id": str(uuid.uuid4()),
        "match_id": "m-1",
        "decision": "rejected",
        "reason": "te ver",
        "reason_code": "too_far",
        "decided_by": "coordinator-limburg",
        "decided_at": f"{days_from_today(51)}T10:00:00Z",
    }
    assert MatchDecided.model_validate(decided).reason_code == "too_far"


def test_withdrawals_need_an_event_id_and_a_posting_id() -> None:
    assert NeedWithdrawn.model_validate({"event_id": str(uuid.uuid4()), "need_id": "n-1"})
    assert OfferWithdrawn.model_validate({"event_id": str(uuid.uuid4()), "offer_id": "o-1"})
    assert set(errors_of(NeedWithdrawn, {"need_id": "n 1"})) == {"event_id", "need_id"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "stage"}, "kind", "unknown kind 'stage'"),
        ({"field": "kernfysica"}, "field", "unknown field 'kernfysica'"),
        ({"grades": ["G4"]}, "grades", "unknown grade G4"),
        ({"quantity": 0}, "quantity", "greater than or equal to 1"),
        ({"quantity": "veel"}, "quantity", "valid integer"),
        ({"max_distance_km": -5}, "max_distance_km", "greater than 0"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"description": "d" * 5001}, "description", "at most 5000 characters"),
        ({"title": "Stage\u0000"}, "title", "control characters"),
        ({"contact": {"name": "An\u0000", "email": "an@x.example"}}, "contact.name", "control"),
        ({"keywords": ["ev", "diag\u0000nose"]}, "keywords.1", "control characters"),
        (
            {"period": {"start": days_from_today(150), "end": days_from_today(120)}},
            "period",
            "is before start",
        ),
        (
            {"period": {"start": days_from_today(150), "end": days_from_today(152), "days": 5}},
            "period",
            "5 days do not fit in a window of 3 days",
        ),
        (
            {"period": {"start": f"{in_days(150).year}-13-01", "end": days_from_today(152)}},
            "period.start",
            "valid date",
        ),
        ({"need_id": "vti hasselt"}, "need_id", "letters, digits"),
        ({"event_id": "not-a-uuid"}, "event_id", "UUID"),
        (
            {"school": {"institution_number": "48561", "name": "X", "postal_code": "3500"}},
            "school.institution_number",
            "exactly 6 digits",
        ),
        (
            {"school": {"institution_number": "048561", "name": "X", "postal_code": "4000"}},
            "school.postal_code",
            "not a postal code of Flanders or Brussels",
        ),
        ({"contact": {"name": "An", "email": "an-at-school"}}, "contact.email", "email address"),
        (
            {"kind": "pupil_placement", "replacement": {"pupils": 5}},
            "(event)",
            "teacher_internship",
        ),
    ],
)
def test_bad_needs_are_rejected_precisely(
    overrides: dict[str, Any], field: str, message: str
) -> None:
    errors = errors_of(NeedSubmitted, need_event(**overrides))
    assert field in errors, errors
    assert message in errors[field]


@pytest.mark.parametrize(
    ("provider_overrides", "overrides", "field", "message"),
    [
        ({"enterprise_number": "0403.170.702"}, {}, "provider.enterprise_number", "mod-97"),
        ({"enterprise_number": "12345"}, {}, "provider.enterprise_number", "10 digits"),
        ({"type": "school"}, {}, "provider.type", "'company'"),
        ({"postal_code": "1300"}, {}, "provider.postal_code", "Flanders or Brussels"),
        ({}, {"capacity": -3}, "capacity", "greater than or equal to 1"),
        ({}, {"venue": "online"}, "venue", "'mobile'"),
        ({}, {"cost_eur": -1}, "cost_eur", "greater than or equal to 0"),
    ],
)
def test_bad_offers_are_rejected_precisely(
    provider_overrides: dict[str, Any], overrides: dict[str, Any], field: str, message: str
) -> None:
    event = offer_event(**overrides)
    event["provider"] = {**event["provider"], **provider_overrides}
    errors = errors_of(OfferSubmitted, event)
    assert field in errors, errors
    assert message in errors[field]


def test_plain_text_with_apostrophes_and_ampersands_is_fine() -> None:
    need = NeedSubmitted.model_validate(
        need_event(title="Stage bij 't Atelier & Co", description="Kosten < 100 euro; 2 > 1.")
    )
    assert need.title == "Stage bij 't Atelier & Co"


def test_brussels_postal_codes_are_accepted() -> None:
    need = NeedSubmitted.model_validate(
        need_event(school={"institution_number": "123456", "name": "KTA", "postal_code": "1000"})
    )
    assert need.school.postal_code == "1000"
