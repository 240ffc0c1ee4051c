"""Answers of the match routes: what a suggestion shows, and the other party's contact only to
the two parties of an accepted match."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from services.api.principal import Principal
from services.api.views import Page
from services.review.queries import ReviewMatch, ReviewNeed, ReviewOffer


class Contact(BaseModel):
    """The other party of an accepted match."""

    organisation: str
    name: str
    email: str


class MatchView(BaseModel):
    """A suggested match and where it stands."""

    match_id: str
    status: str = Field(description="open, withdrawn, accepted, rejected or revoked.")
    kind: str
    field: str
    grades: list[str]
    score: float
    rank: int
    distance_km: float
    components: dict[str, Any]
    explanation: str
    suggested_at: datetime | None
    need_id: str
    need_title: str
    school: str
    rtc_region: str
    offer_id: str
    offer_title: str
    provider: str
    provider_type: str
    reason_code: str | None = None
    reason: str | None = None
    decided_at: datetime | None = None
    revoke_reason: str | None = None
    units: int = Field(0, description="Units, places or teachers an acceptance booked.")
    booked_from: date | None = Field(None, description="First day the acceptance booked.")
    booked_until: date | None = Field(
        None, description="Last day it booked (the offer's turnaround_days follow)."
    )
    step: str | None = Field(
        None, description="The journey's step after acceptance (journey: /journey); none yet."
    )
    contact: Contact | None = Field(
        None, description="The other party, only to the parties of an accepted match."
    )


class MatchPage(Page[MatchView]):
    """One page of matches."""


def _contact(principal: Principal, need: ReviewNeed, offer: ReviewOffer) -> Contact | None:
    if principal.role == "school":
        return Contact(
            organisation=offer.provider_name, name=offer.contact_name, email=offer.contact_email
        )
    if principal.role == "provider":
        return Contact(
            organisation=need.school_name, name=need.contact_name, email=need.contact_email
        )
    return None


def match_view(
    principal: Principal, match: ReviewMatch, need: ReviewNeed, offer: ReviewOffer
) -> MatchView:
    """What ``principal`` sees of a match it may see."""
    return MatchView(
        match_id=match.match_id,
        status=match.status,
        kind=match.kind or need.kind,
        field=need.field,
        grades=list(need.grades),
        score=match.score or 0.0,
        rank=match.rank or 0,
        distance_km=match.distance_km or 0.0,
        components=match.components or {},
        explanation=match.explanation or "",
        suggested_at=match.suggested_at,
        need_id=need.need_id,
        need_title=need.title,
        school=need.school_name,
        rtc_region=need.rtc_region,
        offer_id=offer.offer_id,
        offer_title=offer.title,
        provider=offer.provider_name,
        provider_type=offer.provider_type,
        reason_code=match.reason_code,
        reason=match.reason,
        decided_at=match.decided_at,
        revoke_reason=match.revoke_reason,
        units=match.units,
        booked_from=match.booked_from,
        booked_until=match.booked_until,
        step=match.step,
        contact=_contact(principal, need, offer) if match.status == "accepted" else None,
    )
