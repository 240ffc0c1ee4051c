"""Builds the demo world as contract events. Pure and deterministic: same school year, same world.

Posting ids are stable (a rerun replaces the postings instead of adding new ones); only the
``event_id`` of each event is fresh.
"""

import random
import unicodedata
from datetime import date, timedelta
from uuid import uuid4

from services.demo.catalogue import (
    NEEDS,
    OFFER_TEMPLATES,
    OFFERS,
    PROVIDERS,
    SCHOOLS,
    OfferLine,
    School,
    Template,
)
from shared import validation
from shared.contracts import NeedSubmitted, OfferSubmitted

SEED = 2027
# The demo school one signs in as (``services.demo.logins``).
SIGNED_IN_SCHOOL = SCHOOLS[0]
# Its need that no demo offer serves within its limits: a guest lesson in the autumn, whose
# offers all lie farther than the school's distance limit (and whose world bookings fall later
# in the year), so "Waarom nog geen match?" has near misses to show.
UNSERVED_TEMPLATE = "pers"
UNSERVED_KM = 30
UNSERVED_WEEKS = (2, 12)  # from the first school day
FIRST_NAMES = ("An", "Bart", "Els", "Hilde", "Jan", "Karel", "Lies", "Nora", "Pieter", "Sofie")
LAST_NAMES = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens")


def enterprise_number(base: int) -> str:
    """A valid KBO number from its first eight digits (``shared.validation``'s mod-97 rule)."""
    return validation.enterprise_number_of(base)


def school_year(today: date) -> tuple[date, date]:
    """The coming school year: from the next 1 September to the 30 June after it."""
    year = today.year if today < date(today.year, 9, 1) else today.year + 1
    return date(year, 9, 1), date(year + 1, 6, 30)


def mailbox(text: str) -> str:
    """``text`` as the local part of an e-mail address: ASCII, lower case, spaces as hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-")


def _contact(rng: random.Random, domain: str) -> dict[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {"name": f"{first} {last}", "email": f"{mailbox(f'{first}.{last}')}@{domain}.example"}


def _content(template: Template) -> dict[str, object]:
    return {
        "kind": template.kind,
        "field": template.field,
        "title": template.title,
        "description": template.description,
        "keywords": list(template.keywords),
        "grades": list(template.grades),
    }


def _need_period(rng: random.Random, first: date, template: Template) -> dict[str, object]:
    start = first + timedelta(weeks=rng.randrange(0, 30))
    end = min(start + timedelta(weeks=rng.randrange(4, 13)), first.replace(year=first.year + 1))
    days = rng.randrange(3, 11) if template.kind == "teacher_internship" else None
    return {"start": start.isoformat(), "end": end.isoformat(), "days": days}


def need(
    rng: random.Random,
    school: School,
    institution_number: str,
    contact: dict[str, str],
    template: Template,
    need_id: str,
    first: date,
) -> NeedSubmitted:
    """A need of ``school`` from ``template``, its period within a year from ``first``."""
    event: dict[str, object] = {
        "event_id": str(uuid4()),
        "need_id": need_id,
        "school": {
            "institution_number": institution_number,
            "name": school.name,
            "postal_code": school.postal_code,
        },
        "contact": contact,
        **_content(template),
        "period": _need_period(rng, first, template),
        "quantity": rng.choice((1, 1, 2)) if template.kind != "pupil_placement" else 4,
        "max_distance_km": rng.choice((30, 40, 50)),
    }
    if template.kind == "teacher_internship" and rng.random() < 0.35:
        event["replacement"] = {"grades": list(template.grades), "pupils": 16}
    return NeedSubmitted.model_validate(event)


def unserved_need(
    school: School, institution_number: str, contact: dict[str, str], first: date
) -> NeedSubmitted:
    """The need of ``school`` that nothing serves: ``UNSERVED_TEMPLATE`` within
    ``UNSERVED_KM``, ``UNSERVED_WEEKS`` into the school year from ``first`` (its own seed: the
    other needs keep theirs)."""
    need_id = f"demo-{school.slug}-{first.year}-{len(school.needs) + 1:02d}"
    template = NEEDS[UNSERVED_TEMPLATE]
    event = need(
        random.Random(SEED + 2), school, institution_number, contact, template, need_id, first
    )
    start, end = (first + timedelta(weeks=weeks) for weeks in UNSERVED_WEEKS)
    period = {"start": start, "end": end, "days": None}
    return NeedSubmitted.model_validate(
        event.model_dump() | {"max_distance_km": UNSERVED_KM, "period": period}
    )


def needs(today: date) -> list[NeedSubmitted]:
    """Two needs per school, and for the school one signs in as a third that nothing serves
    within its limits (``unserved_need``); a third of the internships ask for a replacement
    activity."""
    rng = random.Random(SEED)
    first, _ = school_year(today)
    events = []
    for school in SCHOOLS:
        institution_number = f"{rng.randrange(10_000, 200_000):06d}"
        contact = _contact(rng, school.slug)
        for number, key in enumerate(school.needs, start=1):
            need_id = f"demo-{school.slug}-{first.year}-{number:02d}"
            events.append(
                need(rng, school, institution_number, contact, NEEDS[key], need_id, first)
            )
        if school is SIGNED_IN_SCHOOL:
            events.append(unserved_need(school, institution_number, contact, first))
    return events


def offer(
    rng: random.Random, line: OfferLine, offer_id: str, start: date, end: date
) -> OfferSubmitted:
    """The offer of catalogue ``line``, open from ``start`` to ``end``."""
    provider, template = PROVIDERS[line.provider], OFFER_TEMPLATES[line.template]
    event = {
        "event_id": str(uuid4()),
        "offer_id": offer_id,
        "provider": {
            "enterprise_number": enterprise_number(provider.number),
            "name": provider.name,
            "type": provider.type,
            "postal_code": line.postal_code,
        },
        "contact": _contact(rng, line.provider),
        **_content(template),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "capacity": line.capacity,
        "venue": template.venue,
        "cost_eur": 0,
    }
    return OfferSubmitted.model_validate(event)


def offers(today: date) -> list[OfferSubmitted]:
    """Every line of the offer catalogue, open for a semester or the whole school year."""
    rng = random.Random(SEED + 1)
    first, last = school_year(today)
    semesters = (
        (first, last),
        (first, date(first.year + 1, 1, 31)),
        (date(first.year + 1, 2, 1), last),
    )
    events = []
    for number, line in enumerate(OFFERS, start=1):
        start, end = rng.choice(semesters)
        events.append(
            offer(rng, line, f"demo-{line.provider}-{first.year}-{number:02d}", start, end)
        )
    return events
