"""The need life cycle: an internship need and the replacement need intake keeps in step with it.
Pure, like ``postings``.

The replacement need of internship ``X`` is ``X:vervanging``, the school's own: intake made it
and linked it to ``X``. A need merely stored under that id (before the id was reserved) belongs
to whoever posted it and is never replaced, closed or withdrawn with ``X``.
"""

from datetime import date, datetime
from uuid import uuid4

from services.intake import lifecycle
from services.intake.lifecycle import IN_ORDER, ClosedLater, close, place_of
from shared.contracts import NeedRegistered, NeedSubmitted, PostingStatus, is_open
from shared.contracts.submitted import replacement_need_id


def submit_need(
    command: NeedSubmitted,
    current: NeedRegistered | None,
    linked: NeedRegistered | None,
    today: date,
    now: datetime,
    later: ClosedLater = IN_ORDER,
) -> list[NeedRegistered] | str:
    """Register a new need or replace a known one; keep its replacement need in step."""
    refusal = lifecycle.state_refusal(command, current, today, later.posting)
    if refusal or (refusal := _replacement_id_taken(command, linked)):
        return refusal
    # another need that merely has the derived id is never touched
    linked = own_replacement(linked, command.need_id, command.owner_number)
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
    if linked is not None and is_open(linked.status):
        return [need, close(linked, "withdrawn", now)]
    return [need]


def own_replacement(
    linked: NeedRegistered | None, need_id: str, owner_number: str
) -> NeedRegistered | None:
    """``linked`` if it is the replacement need intake made for need ``need_id`` of the school
    ``owner_number`` (a need stored under the derived id before that id was reserved is not)."""
    if linked is None or linked.linked_need_id != need_id:
        return None
    return linked if linked.owner_number == owner_number else None


def _replacement_id_taken(command: NeedSubmitted, stored: NeedRegistered | None) -> str | None:
    if command.replacement is None or stored is None:
        return None
    if own_replacement(stored, command.need_id, command.owner_number) is not None:
        return None
    return (
        f"need id {stored.need_id}, which the replacement need of {command.need_id} would get, "
        "is already taken; post the internship under another id"
    )


def _replacement_status(
    internship: NeedRegistered, linked: NeedRegistered | None, closed_later: bool
) -> PostingStatus:
    """A closed internship keeps its replacement need closed; an open one reopens it unless an
    event produced after the internship's submission closed it."""
    if linked is not None and not is_open(linked.status):
        reopen = is_open(internship.status) and not closed_later
        return "open" if reopen else linked.status
    if not is_open(internship.status):
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
