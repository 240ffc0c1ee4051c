"""Valid submitted events as external producers send them (SPEC section 4), with overrides.

Every date is relative to today (UTC, as intake reads the clock): intake refuses a posting whose
period has ended, so a fixed date would make the suite fail once the calendar passes it.
"""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

VALID_ENTERPRISE_NUMBERS = ("0403.170.701", "0202.239.951", "0417.497.106")


def today() -> date:
    """Today's date in UTC."""
    return datetime.now(UTC).date()


def in_days(days: int) -> date:
    """The date ``days`` days from today (negative: in the past)."""
    return today() + timedelta(days=days)


def days_from_today(days: int) -> str:
    """:func:`in_days` as the ISO text events carry."""
    return in_days(days).isoformat()


def monday_after(days: int) -> date:
    """The first Monday at least ``days`` days from today: windows whose working days a test
    counts start on the same weekday whatever the date."""
    day = in_days(days)
    return day + timedelta(days=-day.weekday() % 7)


# The SPEC example's windows, moved to the months ahead with the same shape: the need runs from a
# Monday to the Friday 12 weeks later (5 days needed); the offer opens 17 days earlier and closes
# 46 days later, so it covers the need's window.
NEED_START = monday_after(60)
NEED_END = NEED_START + timedelta(days=88)
OFFER_START = NEED_START - timedelta(days=17)
OFFER_END = NEED_END + timedelta(days=46)


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
        "period": {"start": NEED_START.isoformat(), "end": NEED_END.isoformat(), "days": 5},
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
        "period": {"start": OFFER_START.isoformat(), "end": OFFER_END.isoformat()},
        "capacity": 2,
        "venue": "company",
        "cost_eur": 0,
    }
    event.update(overrides)
    return event
