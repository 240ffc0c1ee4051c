"""Where bad input goes: ``postings.rejected`` (invalid events), ``postings.dlq`` (not JSON) and
``internal.dlq`` (records of internal topics a consumer could not apply)."""

from collections.abc import Sequence

from pydantic_core import ErrorDetails

from shared.contracts.common import EventId, Part, Timestamp
from shared.text import storable


class FieldError(Part):
    """One validation problem: the dotted path of the field and what is wrong."""

    field: str
    message: str


class PostingRejected(Part):
    """``postings.rejected``: an inbound event that failed validation, with every error."""

    event_id: EventId
    source_topic: str
    source_event_id: str | None
    posting_id: str | None
    errors: list[FieldError]
    received_at: Timestamp


class DeadLetter(Part):
    """A record that could not be applied, kept whole (base64) with the reason: on
    ``postings.dlq`` inbound bytes that are not a JSON object; on ``internal.dlq`` a record of an
    internal topic that does not parse or whose data the database refuses."""

    event_id: EventId
    source_topic: str
    partition: int
    offset: int
    key: str | None
    raw_value_base64: str
    reason: str
    received_at: Timestamp
    # Which consumer could not apply it (several read one topic); project addition, optional.
    consumer: str | None = None


def to_field_errors(errors: Sequence[ErrorDetails]) -> list[FieldError]:
    """pydantic ``ValidationError.errors()`` as contract field errors.

    Paths and messages may quote the input: they are made storable and bounded.
    """
    return [
        FieldError(
            field=storable(".".join(str(part) for part in error["loc"]), 200) or "(event)",
            message=storable(error["msg"], 1000),
        )
        for error in errors
    ]
