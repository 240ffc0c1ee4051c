"""What the notifier's texts say about a match, read from the review state."""

from services.notifier.routing import Party
from services.notifier.templates import MatchFacts
from services.review.queries import ReviewMatch, ReviewNeed, ReviewOffer


def school_of(need: ReviewNeed) -> Party:
    """The school of a need, with the need's contact."""
    return Party(
        "school", need.institution_number, need.school_name, need.contact_name, need.contact_email
    )


def provider_of(offer: ReviewOffer) -> Party:
    """The provider of an offer, with the offer's contact."""
    return Party(
        "provider",
        offer.enterprise_number,
        offer.provider_name,
        offer.contact_name,
        offer.contact_email,
    )


def facts_of(match: ReviewMatch, need: ReviewNeed, offer: ReviewOffer) -> MatchFacts:
    """What the texts say about a suggested match."""
    return MatchFacts(
        match_id=match.match_id,
        kind=match.kind or need.kind,
        field=need.field,
        score=match.score or 0.0,
        distance_km=match.distance_km or 0.0,
        explanation=match.explanation or "",
        need_title=need.title,
        offer_title=offer.title,
        school=school_of(need),
        provider=provider_of(offer),
    )
