"""The matcher's view of postings and of what it decides: plain values, no I/O."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class NeedProfile:
    """An open need, reduced to what matching looks at."""

    need_id: str
    kind: str
    field: str
    grades: frozenset[str]
    start: date
    end: date
    days: int
    quantity: int
    latitude: float
    longitude: float
    rtc_region: str
    max_distance_km: float
    text: str

    @property
    def posting_id(self) -> str:
        return self.need_id

    @property
    def left(self) -> int:
        """What is still asked."""
        return self.quantity


@dataclass(frozen=True, slots=True)
class OfferProfile:
    """An open offer as matching sees it; ``capacity_left`` is net of accepted matches."""

    offer_id: str
    kind: str
    field: str
    grades: frozenset[str]
    start: date
    end: date
    capacity_left: int
    latitude: float
    longitude: float
    rtc_region: str
    venue: str
    text: str
    # Only a learned ranking looks at these (SPEC 5 scores neither).
    provider_type: str = "company"
    capacity: int = 1
    # Units accepted matches booked, as (first, last, units) runs of days (capacity in time;
    # None: not known, the counter alone).
    in_use: tuple[tuple[date, date, int], ...] | None = None
    # The most working days one school may book (``period.days`` of an offer; 0: no limit).
    days_limit: int = 0

    @property
    def posting_id(self) -> str:
        return self.offer_id

    @property
    def left(self) -> int:
        """What is still offered."""
        return self.capacity_left


class Suggestion(NamedTuple):
    """An offer suggested for a need, with the parts of its score and why (a named tuple: a
    re-match builds tens of thousands, and tuples are the cheapest immutable values to make)."""

    need_id: str
    offer_id: str
    kind: str
    score: float
    rank: int
    distance_km: float
    rtc_region: str
    components: dict[str, float]
    explanation: str
    model_version: int | None = None  # the learned ranking that placed it (None: the weights)


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A suggestion that no longer holds, with the reason code."""

    need_id: str
    offer_id: str
    reason: str


@dataclass(slots=True)
class Changes:
    """What one use case changed in the suggestion lists, in the order it happened."""

    suggested: list[Suggestion] = field(default_factory=list)
    withdrawn: list[Withdrawal] = field(default_factory=list)

    def extend(self, other: "Changes") -> None:
        """Append the changes of ``other``."""
        self.suggested.extend(other.suggested)
        self.withdrawn.extend(other.withdrawn)


@dataclass(frozen=True, slots=True)
class Batch:
    """What a batch of events changed in the open postings, applied to the lists at once: one
    posting, a whole Kafka batch and an expiry round all take this path."""

    needs: Sequence[NeedProfile] = ()  # open, new or changed
    offers: Sequence[OfferProfile] = ()  # open, new or changed
    closed_needs: Mapping[str, str] = field(default_factory=dict)  # need id -> reason code
    closed_offers: Mapping[str, str] = field(default_factory=dict)  # offer id -> reason code
    decided: Sequence[tuple[str, str]] = ()  # (need, offer) pairs a coordinator decided


@dataclass(frozen=True, slots=True)
class StoredState:
    """What the database holds and memory must reflect: all of it, or what changed since.

    ``lists`` holds the complete live list of each need it names (empty: none left)."""

    open_needs: Sequence[NeedProfile] = ()
    open_offers: Sequence[OfferProfile] = ()
    closed_need_ids: Sequence[str] = ()
    closed_offer_ids: Sequence[str] = ()
    lists: Mapping[str, Sequence[Suggestion]] = field(default_factory=dict)
    decided: Sequence[tuple[str, str]] = ()
