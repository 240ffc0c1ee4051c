"""Contract events for the notifier's end-to-end tests, each with fresh ids."""

import random
import uuid
from datetime import UTC, datetime

from shared import taxonomy
from shared.contracts import (
    Contact,
    MatchDecided,
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
    Period,
    Place,
    Provider,
    Replacement,
    School,
    ScoreComponents,
)
from shared.validation import enterprise_number_of
from tests.builders import NEED_END, NEED_START
from tests.notifier.builders import unique

PERIOD = Period(start=NEED_START, end=NEED_END)
DECIDING_ADMIN = "decisions-admin@schakel.example"  # an admin user (tests/notifier/conftest)


def _place(postal_code: str) -> Place:
    return Place.model_validate(taxonomy.places()[postal_code], from_attributes=True)


# Not the global random: pytest-randomly reseeds it per test, which would repeat the numbers of
# an earlier run against the same database.
_NUMBERS = random.SystemRandom()


def institution_number() -> str:
    """A random six-digit instellingsnummer."""
    return f"{_NUMBERS.randrange(10**6):06d}"


def enterprise_number() -> str:
    """A random enterprise number that passes the mod-97 check."""
    return enterprise_number_of(_NUMBERS.randrange(10**7)).replace(".", "")


def need(
    postal_code: str = "3500",
    kind: str = "teacher_internship",
    quantity: int = 1,
    replacement: bool = False,
    linked_need_id: str | None = None,
    school_name: str = "VTI Hasselt",
) -> NeedRegistered:
    """A registered need of a new school in ``postal_code``."""
    need_id = unique("need")
    return NeedRegistered(
        event_id=uuid.uuid4(),
        need_id=need_id,
        version=1,
        status="open",
        contact=Contact(name="An Peeters", email=f"{need_id}@school.example"),
        kind=kind,
        title="Bedrijfsstage diagnose elektrische voertuigen",
        description="",
        field="auto",
        keywords=[],
        grades=["G3"],
        period=PERIOD,
        place=_place(postal_code),
        registered_at=datetime.now(UTC),
        school=School(
            institution_number=institution_number(), name=school_name, postal_code=postal_code
        ),
        quantity=quantity,
        max_distance_km=50,
        replacement=Replacement(grades=["G3"], pupils=16) if replacement else None,
        linked_need_id=linked_need_id,
    )


def offer(capacity: int = 1, provider_name: str = "Garage X") -> OfferRegistered:
    """A registered offer of a new provider in Genk."""
    offer_id = unique("offer")
    return OfferRegistered(
        event_id=uuid.uuid4(),
        offer_id=offer_id,
        version=1,
        status="open",
        contact=Contact(name="Bart Claes", email=f"{offer_id}@provider.example"),
        kind="teacher_internship",
        title="Meedraaien in de EV-werkplaats",
        description="",
        field="auto",
        keywords=[],
        grades=[],
        period=PERIOD,
        place=_place("3600"),
        registered_at=datetime.now(UTC),
        provider=Provider(
            enterprise_number=enterprise_number(),
            name=provider_name,
            type="company",
            postal_code="3600",
        ),
        capacity=capacity,
        venue="company",
        cost_eur=0,
    )


def suggested(
    need_event: NeedRegistered,
    offer_event: OfferRegistered,
    rank: int = 1,
    at: datetime | None = None,
) -> MatchSuggested:
    """A suggestion pairing the two."""
    return MatchSuggested(
        event_id=uuid.uuid4(),
        match_id=unique("match"),
        need_id=need_event.need_id,
        offer_id=offer_event.offer_id,
        kind=need_event.kind,
        score=0.87,
        rank=rank,
        distance_km=12.4,
        rtc_region=need_event.place.rtc_region,
        components=ScoreComponents(distance=0.9, field=1, grade=1, period=1, text=0.4),
        explanation="Zelfde vakgebied (auto), 12 km, graad 3 past.",
        suggested_at=at or datetime.now(UTC),
    )


def decided(
    match: MatchSuggested,
    decision: str = "accepted",
    reason_code: str | None = None,
    decided_by: str = DECIDING_ADMIN,
) -> MatchDecided:
    """A decision on ``match`` by ``decided_by`` (by default the admin the notifier fixture
    creates, who may decide in every region), as another system would publish it."""
    return MatchDecided.model_validate(
        {
            "event_id": str(uuid.uuid4()),
            "match_id": match.match_id,
            "decision": decision,
            "reason": "Te ver voor de leraar" if reason_code else "",
            "reason_code": reason_code,
            "decided_by": decided_by,
            "decided_at": datetime.now(UTC).isoformat(),
        }
    )


def withdrawn(match: MatchSuggested) -> MatchWithdrawn:
    """The matcher withdraws ``match``."""
    return MatchWithdrawn(
        event_id=uuid.uuid4(),
        match_id=match.match_id,
        need_id=match.need_id,
        offer_id=match.offer_id,
        reason="offer_withdrawn",
        withdrawn_at=datetime.now(UTC),
    )
