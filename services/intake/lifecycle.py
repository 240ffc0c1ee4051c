"""The posting life cycle: register, replace, withdraw, expire. Pure: state in, events out.

Each use case returns the registered events to publish, or a refusal (a reason string). What only
needs have (an internship and its replacement need) lives in ``needs``.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar
from uuid import uuid4

from shared import taxonomy
from shared.contracts import (
    ClosedStatus,
    NeedRegistered,
    NeedSubmitted,
    OfferRegistered,
    OfferSubmitted,
    Place,
    is_open,
)

Registered = TypeVar("Registered", NeedRegistered, OfferRegistered)


@dataclass(frozen=True, slots=True)
class ClosedLater:
    """Whether the posting, and the replacement need of an internship, were closed by events
    produced after the submission at hand: it changes their content, their status stays."""

    posting: bool = False
    replacement: bool = False


IN_ORDER = ClosedLater()


def place_of(postal_code: str) -> Place:
    """The locality, province, RTC region and coordinates of a validated postal code."""
    return Place(**_place_fields(postal_code))


@cache
def _place_fields(postal_code: str) -> dict[str, Any]:
    return asdict(taxonomy.places()[postal_code])


def state_refusal(
    command: NeedSubmitted | OfferSubmitted,
    current: NeedRegistered | OfferRegistered | None,
    today: date,
    closed_later: bool,
) -> str | None:
    """Why ``command`` is refused for the stored ``current`` (another owner, closed, period
    over)."""
    what, end = f"{command.side} {command.posting_id}", command.period.end
    if current is not None and current.owner_number != command.owner_number:
        return f"{what} belongs to another organisation; only its owner may replace or withdraw it"
    if current is not None and not is_open(current.status) and not closed_later:
        return f"{what} is {current.status}; post it under a new id instead"
    if end < today:
        return f"the period ended on {end}; nothing can be matched any more"
    return None


def close(posting: Registered, status: ClosedStatus, now: datetime) -> Registered:
    """The next version of ``posting`` with ``status`` (withdrawn, expired, ...)."""
    return posting.model_copy(
        update={
            "event_id": uuid4(),
            "version": posting.version + 1,
            "status": status,
            "registered_at": now,
        }
    )


def submit_offer(
    command: OfferSubmitted,
    current: OfferRegistered | None,
    today: date,
    now: datetime,
    later: ClosedLater = IN_ORDER,
) -> list[OfferRegistered] | str:
    """Register a new offer or replace a known one."""
    refusal = state_refusal(command, current, today, later.posting)
    if refusal:
        return refusal
    return [
        OfferRegistered(
            **command.model_dump(exclude={"event_id"}),
            event_id=uuid4(),
            version=1 if current is None else current.version + 1,
            status="open" if current is None else current.status,
            place=place_of(command.provider.postal_code),
            registered_at=now,
        )
    ]


def withdraw(
    what: str, current: Registered | None, requested_by: str | None, now: datetime
) -> list[Registered] | str:
    """Close a posting at its owner's request."""
    if current is None:
        return f"{what} is not known"
    if requested_by is not None and requested_by != current.owner_number:
        return f"{what} belongs to another organisation; only its owner may withdraw it"
    if not is_open(current.status):
        return f"{what} is already {current.status}"
    return [close(current, "withdrawn", now)]
