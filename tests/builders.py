"""Valid submitted events as external producers send them (SPEC section 4), with overrides."""

import uuid
from typing import Any

VALID_ENTERPRISE_NUMBERS = ("0403.170.701", "0202.239.951", "0417.497.106")


def need_event(**overrides: Any) -> dict[str, Any]:
    """A valid ``needs.submitted`` event: the SPEC example with fresh ids."""
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "need_id": f"need-{uuid.uuid4().hex[:12]}",
        "school": {"institution_number": "048561", "name": "VTI Hasselt", "postal_code": "3500"},
        "contact": {"name": "An Peeters", "email": "an.peeters@school.example"},
        "kind": "teacher_internship",
        "title": "Bedrijfsstage diagnose elektrische voertuigen",
        "description": (
            "Leraar auto 3de graad wil een week meedraaien in een werkplaats voor EV-diagnose."
        ),
        "field": "auto",
        "keywords": ["elektrische voertuigen", "diagnose", "hoogspanning"],
        "grades": ["G3"],
        "period": {"start": "2027-02-01", "end": "2027-04-30", "days": 5},
        "quantity": 1,
        "max_distance_km": 40,
    }
    event.update(overrides)
    return event


def offer_event(**overrides: Any) -> dict[str, Any]:
    """A valid ``offers.submitted`` event: the SPEC example with fresh ids."""
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "offer_id": f"offer-{uuid.uuid4().hex[:12]}",
        "provider": {
            "enterprise_number": "0403.170.701",
            "name": "Garage X",
            "type": "company",
            "postal_code": "3600",
        },
        "contact": {"name": "Jan Claes", "email": "jan.claes@garage.example"},
        "kind": "teacher_internship",
        "title": "Meedraaien in EV-werkplaats",
        "description": "Diagnose en onderhoud van elektrische voertuigen.",
        "field": "auto",
        "keywords": ["EV", "diagnose"],
        "grades": [],
        "period": {"start": "2027-01-15", "end": "2027-06-15"},
        "capacity": 2,
        "venue": "company",
        "cost_eur": 0,
    }
    event.update(overrides)
    return event
