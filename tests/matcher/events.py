"""Registered postings for the matcher's end-to-end tests, each with fresh ids."""

import itertools
import random
import uuid
from datetime import UTC, datetime, timedelta

from shared import taxonomy
from shared.contracts import (
    Contact,
    NeedRegistered,
    OfferRegistered,
    Period,
    Place,
    Provider,
    School,
)  # fmt: skip
from tests.builders import monday_after

# Windows of 8 weeks in 9-week slots from a Monday a year ahead. Not drawn from the global
# ``random``: pytest-randomly reseeds it before every test, so every test would draw the same
# window. One random first slot per process, then consecutive slots: the windows of one run never
# overlap, and a second run against the same database almost surely starts elsewhere.
_SLOTS = 20_000
_next_slot = itertools.count(random.SystemRandom().randrange(_SLOTS))


def fresh_period() -> Period:
    """A window no other test's postings share, so only this test's offers can match."""
    start = monday_after(365) + timedelta(weeks=9 * (next(_next_slot) % _SLOTS))
    return Period(start=start, end=start + timedelta(weeks=8), days=5)


def place(postal_code: str) -> Place:
    return Place.model_validate(taxonomy.places()[postal_code], from_attributes=True)


def need_event(period: Period, **changes: object) -> NeedRegistered:
    need_id = f"need-{uuid.uuid4().hex[:10]}"
    return NeedRegistered(
        event_id=uuid.uuid4(), need_id=need_id, version=1, status="open",
        contact=Contact(name="An Peeters", email="an.peeters@school.example"),
        kind="teacher_internship", title="Bedrijfsstage diagnose elektrische voertuigen",
        description="Leraar auto derde graad wil meedraaien in een werkplaats voor EV-diagnose.",
        field="auto", keywords=["elektrische voertuigen", "hoogspanning"], grades=["G3"],
        period=period, place=place("3500"), registered_at=datetime.now(UTC),
        school=School(institution_number="048561", name="VTI Hasselt", postal_code="3500"),
        quantity=1, max_distance_km=40,
    ).model_copy(update=changes)  # fmt: skip


def offer_event(period: Period, postal_code: str, field: str, title: str) -> OfferRegistered:
    return OfferRegistered(
        event_id=uuid.uuid4(), offer_id=f"offer-{uuid.uuid4().hex[:10]}", version=1,
        status="open", contact=Contact(name="Bart Claes", email="bart@provider.example"),
        kind="teacher_internship", title=title, description="", field=field, keywords=[],
        grades=[], period=period, place=place(postal_code), registered_at=datetime.now(UTC),
        provider=Provider(
            enterprise_number="0403.170.701", name=title, type="company", postal_code=postal_code
        ),
        capacity=2, venue="company", cost_eur=0,
    )  # fmt: skip
