"""Builders of notifier test data: parties, coordinators, match facts and contract events."""

import uuid

from services.notifier.routing import Coordinator, Party
from services.notifier.templates import MatchFacts


def unique(prefix: str) -> str:
    """An id no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def school(name: str = "VTI Hasselt", number: str = "048561") -> Party:
    """A school party with its need's contact."""
    return Party("school", number, name, "An Peeters", "an.peeters@school.example")


def provider(name: str = "Garage X", number: str = "0403.170.701") -> Party:
    """A provider party with its offer's contact."""
    return Party("provider", number, name, "Bart Claes", "bart.claes@garage-x.example")


def coordinator(
    coordinator_id: int, region: str, digest: str = "immediate", email: str = ""
) -> Coordinator:
    """A coordinator of ``region``."""
    return Coordinator(
        coordinator_id,
        region,
        f"Coördinator {region}",
        email or f"rtc-{coordinator_id}@rtc.example",
        {"suggestion": "daily"} if digest == "daily" else {},
    )


def facts(school_party: Party | None = None, provider_party: Party | None = None) -> MatchFacts:
    """A scored teacher-internship match between a school and a garage."""
    return MatchFacts(
        match_id="m-1",
        kind="teacher_internship",
        field="auto",
        score=0.87,
        distance_km=12.4,
        explanation="Zelfde vakgebied (auto), 12 km, graad 3 past.",
        need_title="Bedrijfsstage diagnose elektrische voertuigen",
        offer_title="Meedraaien in de EV-werkplaats",
        school=school_party or school(),
        provider=provider_party or provider(),
    )
