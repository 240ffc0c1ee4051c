"""Match events: suggestions, their withdrawal and the coordinator's decision."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.contracts.common import EventId, Part, PlainText, Timestamp
from shared.contracts.statuses import DecidedStatus

Score = Annotated[float, Field(ge=0, le=1)]
# Matches come from outside on matches.decided: the id is looked up and stored, so it must fit the
# narrowest column that stores it and carry no control characters (PostgreSQL refuses NUL).
MatchId = Annotated[
    str, StringConstraints(min_length=1, max_length=100), PlainText, Field(description="Match id.")
]
RankedBy = Literal["rule", "model"]
JourneyStep = Literal["dates_agreed", "delivered", "returned", "checked", "took_place", "cancelled"]
ReasonCode = Literal["too_far", "wrong_field", "dates", "capacity", "quality", "other"]
Revision = Annotated[
    int | None,
    Field(
        ge=0,
        description="Project addition: the matcher's revision of this match; a consumer keeps "
        "the newest per match, whatever order the topics arrive in.",
    ),
]


class ScoreComponents(Part):
    """The parts of a match score, each in [0, 1]."""

    distance: Score
    field: Score
    grade: Score
    period: Score
    text: Score
    capacity: Score | None = Field(None, description="Project addition: remaining offer capacity.")
    region: Score | None = Field(
        None, description="Project addition: 1 when the provider is in the school's RTC region."
    )


class MatchSuggested(Part):
    """``matches.suggested``: a candidate pair for the coordinator of the school's region."""

    event_id: EventId
    match_id: MatchId
    need_id: str
    offer_id: str
    kind: str
    score: Score
    rank: int = Field(ge=1)
    distance_km: float = Field(ge=0)
    rtc_region: str
    components: ScoreComponents
    explanation: str
    suggested_at: Timestamp
    revision: Revision = None
    ranked_by: RankedBy | None = Field(
        None,
        description="Project addition: what ordered the list, the hand-set weights (rule) or a "
        "learned model; absent from older producers.",
    )
    model_version: int | None = Field(
        None,
        ge=1,
        description="Project addition: the learned model's version when ranked_by is model.",
    )


class MatchWithdrawn(Part):
    """``matches.withdrawn``: a suggestion that no longer holds."""

    event_id: EventId
    match_id: MatchId
    need_id: str
    offer_id: str
    reason: str
    withdrawn_at: Timestamp
    revision: Revision = None


class MatchDecided(Part):
    """``matches.decided``: the coordinator accepted or rejected a suggestion."""

    event_id: EventId
    match_id: MatchId
    decision: Literal["accepted", "rejected"]
    reason: Annotated[str, StringConstraints(max_length=2000), PlainText] = ""
    reason_code: ReasonCode | None = Field(
        None, description="Project addition: why a match was rejected; training data for later."
    )
    decided_by: Annotated[str, StringConstraints(min_length=1, max_length=200), PlainText]
    decided_at: Timestamp


class UnitsInUse(Part):
    """Days, both included, on which the same number of an offer's units are in use."""

    first: date
    last: date
    units: int = Field(ge=1)


class MatchReviewed(Part):
    """``matches.reviewed`` (internal): a decision as the review state took it, with what the
    need and offer have used since; the matcher applies it instead of deciding capacity itself."""

    event_id: EventId
    match_id: MatchId
    need_id: str
    offer_id: str
    status: DecidedStatus
    reason_code: ReasonCode | None = None
    reason: str = ""
    decided_by: str
    need_quantity_met: int = Field(ge=0)
    offer_capacity_used: int = Field(ge=0)
    offer_in_use: list[UnitsInUse] | None = Field(
        None,
        description="Project addition: the offer's units in use after this review, run by run of "
        "days (bookings and their turnaround; capacity in time); absent: not known, the "
        "counter alone.",
    )
    revision: int = Field(ge=0, description="Review revision; newer wins per need and offer.")
    reviewed_at: Timestamp
    step: JourneyStep | None = Field(
        None,
        description="Project addition: the step of the journey after acceptance this review "
        "records, marked by a party (the status stays accepted; cancelled frees the booking's "
        "remaining days); absent: a decision or revocation.",
    )
