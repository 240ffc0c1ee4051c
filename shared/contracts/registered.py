"""Internal events: the stored, normalised posting as the matcher and notifier see it."""

from typing import Literal

from pydantic import Field

from shared.contracts.common import (
    Contact,
    EventId,
    Part,
    Period,
    Place,
    Provider,
    Replacement,
    School,
    Timestamp,
    TurnaroundDays,
)
from shared.contracts.identity import ProvidersOffer, SchoolsNeed
from shared.contracts.statuses import PostingStatus


class RegisteredPosting(Part):
    """What registered needs and offers share; ``version`` grows with every replacement."""

    event_id: EventId
    version: int = Field(ge=1)
    status: PostingStatus
    contact: Contact
    kind: str
    title: str
    description: str
    field: str
    keywords: list[str]
    grades: list[str]
    period: Period
    place: Place
    registered_at: Timestamp


class NeedRegistered(RegisteredPosting, SchoolsNeed):
    """``needs.registered``: a need as stored, with the school's region and coordinates."""

    need_id: str
    school: School
    quantity: int
    max_distance_km: float
    replacement: Replacement | None = None
    linked_need_id: str | None = Field(
        None, description="For a replacement_activity need created from an internship need: its id."
    )


class OfferRegistered(RegisteredPosting, ProvidersOffer):
    """``offers.registered``: an offer as stored, with the provider's region and coordinates."""

    offer_id: str
    provider: Provider
    capacity: int
    venue: Literal["company", "training_centre", "school", "mobile"]
    cost_eur: float
    turnaround_days: TurnaroundDays = 0
