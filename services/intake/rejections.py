"""The ``postings.rejected`` events intake emits. Pure.

A rejection quotes what the producer sent (ids, keys, messages naming the input): every such
string is made storable (no NUL, no lone surrogates) and cut to the column it lands in, and the
error list is bounded, so no input can make the rejection itself fail.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import TypeAdapter, ValidationError

from services.intake.tables import REJECTED_EVENT_ID_LENGTH, REJECTED_POSTING_ID_LENGTH
from shared.contracts import FieldError, PostingRejected
from shared.text import storable

MAX_ERRORS = 50
_EVENT_ID = TypeAdapter(UUID)


def usable_event_id(value: Any) -> str | None:
    """The event id in its canonical form if ``value`` is one (a UUID), else None."""
    try:
        return str(_EVENT_ID.validate_python(value))
    except ValidationError:
        return None


def rejected(
    topic: str,
    key: str | None,
    document: dict[str, Any],
    errors: Sequence[FieldError],
    now: datetime,
) -> PostingRejected:
    """An inbound event that failed validation, named by what it said its ids were."""
    event_id = document.get("event_id")
    posting_id = document.get("need_id") or document.get("offer_id")
    length = REJECTED_POSTING_ID_LENGTH
    return PostingRejected(
        event_id=uuid4(),
        source_topic=topic,
        source_event_id=_text(event_id, REJECTED_EVENT_ID_LENGTH),
        posting_id=_text(posting_id, length) or _text(key, length),
        errors=_bounded(errors),
        received_at=now,
    )


def refused(
    source_event_id: str,
    topic: str,
    posting_id: str,
    reason: str,
    now: datetime,
    field: str = "(event)",
) -> PostingRejected:
    """A valid event the current state refuses (not the owner, posting closed, id reused, ...)."""
    return PostingRejected(
        event_id=uuid4(),
        source_topic=topic,
        source_event_id=source_event_id,
        posting_id=posting_id,
        errors=[FieldError(field=field, message=reason)],
        received_at=now,
    )


def reused_id_error(event_id: str) -> FieldError:
    """The error of an event sent under an id that an event with other content already used."""
    message = (
        f"event_id {event_id} was already used by a different event; "
        "send every new event under a fresh event_id"
    )
    return FieldError(field="event_id", message=message)


def _text(value: Any, limit: int) -> str | None:
    return storable(value, limit) if isinstance(value, str) and value else None


def _bounded(errors: Sequence[FieldError]) -> list[FieldError]:
    kept = list(errors[:MAX_ERRORS])
    if len(errors) > MAX_ERRORS:
        more = f"and {len(errors) - MAX_ERRORS} more errors"
        kept.append(FieldError(field="(event)", message=more))
    return kept
