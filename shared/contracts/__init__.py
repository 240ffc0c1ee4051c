"""The public event contract v1 (SPEC section 4) as pydantic models, imported by every service."""

from shared.contracts.common import Contact, Period, Place, Provider, Replacement, School
from shared.contracts.errors import DeadLetter, FieldError, PostingRejected, to_field_errors
from shared.contracts.identity import Side
from shared.contracts.matches import (
    MatchDecided,
    MatchReviewed,
    MatchSuggested,
    MatchWithdrawn,
    ScoreComponents,
)
from shared.contracts.registered import NeedRegistered, OfferRegistered
from shared.contracts.statuses import (
    CLOSED_STATUSES,
    DECIDED_STATUSES,
    OPEN_STATUSES,
    ClosedStatus,
    DecidedStatus,
    PostingStatus,
    is_open,
)
from shared.contracts.submitted import NeedSubmitted, NeedWithdrawn, OfferSubmitted, OfferWithdrawn

__all__ = [
    "CLOSED_STATUSES",
    "DECIDED_STATUSES",
    "OPEN_STATUSES",
    "ClosedStatus",
    "Contact",
    "DeadLetter",
    "DecidedStatus",
    "FieldError",
    "MatchDecided",
    "MatchReviewed",
    "MatchSuggested",
    "MatchWithdrawn",
    "NeedRegistered",
    "NeedSubmitted",
    "NeedWithdrawn",
    "OfferRegistered",
    "OfferSubmitted",
    "OfferWithdrawn",
    "Period",
    "Place",
    "PostingRejected",
    "PostingStatus",
    "Provider",
    "Replacement",
    "School",
    "ScoreComponents",
    "Side",
    "is_open",
    "to_field_errors",
]
