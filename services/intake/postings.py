"""The posting life cycle: register, replace, withdraw, expire. Pure: state in, events out.

Each use case returns the registered events to publish, or a refusal (a reason string).
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TypeVar
from uuid import uuid4

from shared import taxonomy
from shared.contracts import (
    NeedRegistered,
    NeedSubmitted,
    OfferRegistered,
    OfferSubmitted,
    Place,
)
from shared.contracts.postings import replacement_need_id

CLOSED = ("withdrawn", "expired", "fulfilled")

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
    return Place(**asdict(taxonomy.places()[postal_code]))


def _refusal(
    what: str,
    current: NeedRegistered | OfferRegistered | None,
    same_owner: bool,
    end: date,
    today: date,
    closed_later: bool,
) -> str | None:
    if current is not None and not same_owner:
        return f"{what} belongs to another organisation; only its owner may replace or withdraw it"
    if current is not None and current.status in CLOSED and not closed_later:
        return f"{what} is {current.status}; post it under a new id instead"
    if end < today:
        return f"the period ended on {end}; nothing can be matched any more"
    return None


def close(posting: Registered, status: str, now: datetime) -> Registered:
    """The next version of ``posting`` with ``status`` (withdrawn, expired, ...)."""
    return posting.model_copy(
        update={
            "event_id": uuid4(),
            "version": posting.version + 1,
            "status": status,
            "registered_at": now,
        }
    )


def submit_need(
    command: NeedSubmitted,
    current: NeedRegistered | None,
    linked: NeedRegistered | None,
    today: date,
    now: datetime,
    later: ClosedLater = IN_ORDER,
) -> list[NeedRegistered] | str:
    """Register a new need or replace a known one; keep its replacement need in step."""
    number = command.school.institution_number
    owner = current is None or current.school.institution_number == number
    end = command.period.end
    refusal = _refusal(f"need {command.need_id}", current, owner, end, today, later.posting)
    if refusal or (refusal := _replacement_id_taken(command, linked)):
        return refusal
    # another need that merely has the derived id is never touched
    linked = own_replacement(linked, command.need_id, number)
    need = NeedRegistered(
        **command.model_dump(exclude={"event_id"}),
        event_id=uuid4(),
        version=1 if current is None else current.version + 1,
        status="open" if current is None else current.status,
        place=place_of(command.school.postal_code),
        registered_at=now,
    )
    if command.replacement is not None:
        return [need, _replacement_need(need, linked, later.replacement, now)]
    if linked is not None and linked.status not in CLOSED:
        return [need, close(linked, "withdrawn", now)]
    return [need]


def own_replacement(
    linked: NeedRegistered | None, need_id: str, institution_number: str
) -> NeedRegistered | None:
    """``linked`` if it is the replacement need intake made for need ``need_id`` of this school
    (a need stored under the derived id before that id was reserved is not)."""
    if linked is None or linked.linked_need_id != need_id:
        return None
    return linked if linked.school.institution_number == institution_number else None


def _replacement_id_taken(command: NeedSubmitted, stored: NeedRegistered | None) -> str | None:
    number = command.school.institution_number
    if command.replacement is None or stored is None:
        return None
    if own_replacement(stored, command.need_id, number) is not None:
        return None
    return (
        f"need id {stored.need_id}, which the replacement need of {command.need_id} would get, "
        "is already taken; post the internship under another id"
    )


def _replacement_status(
    internship: NeedRegistered, linked: NeedRegistered | None, closed_later: bool
) -> str:
    """A closed internship keeps its replacement need closed; an open one reopens it unless an
    event produced after the internship's submission closed it."""
    if linked is not None and linked.status in CLOSED:
        reopen = internship.status not in CLOSED and not closed_later
        return "open" if reopen else linked.status
    if internship.status in CLOSED:
        return internship.status
    return "open" if linked is None else linked.status


def _replacement_need(
    internship: NeedRegistered, linked: NeedRegistered | None, closed_later: bool, now: datetime
) -> NeedRegistered:
    assert internship.replacement is not None
    pupils = internship.replacement.pupils
    return internship.model_copy(
        update={
            "event_id": uuid4(),
            "need_id": replacement_need_id(internship.need_id),
            "version": 1 if linked is None else linked.version + 1,
            "status": _replacement_status(internship, linked, closed_later),
            "kind": "replacement_activity",
            "title": f"Vervangende activiteit tijdens: {internship.title}"[:200],
            "description": f"Klasactiviteit voor {pupils} leerlingen terwijl de leraar op "
            "bedrijfsstage is, op dezelfde data.",
            "keywords": [],
            "grades": internship.replacement.grades or internship.grades,
            "quantity": 1,
            "replacement": None,
            "linked_need_id": internship.need_id,
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
    number = command.provider.enterprise_number
    owner = current is None or current.provider.enterprise_number == number
    end = command.period.end
    refusal = _refusal(f"offer {command.offer_id}", current, owner, end, today, later.posting)
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
    what: str,
    current: Registered | None,
    owner_number: str,
    requested_by: str | None,
    now: datetime,
) -> list[Registered] | str:
    """Close a posting at its owner's request."""
    if current is None:
        return f"{what} is not known"
    if requested_by is not None and requested_by != owner_number:
        return f"{what} belongs to another organisation; only its owner may withdraw it"
    if current.status in CLOSED:
        return f"{what} is already {current.status}"
    return [close(current, "withdrawn", now)]
