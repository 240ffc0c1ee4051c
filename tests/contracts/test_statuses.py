"""One set of posting statuses: open ones and closed ones, and the one question asked of them."""

import uuid
from datetime import UTC, datetime
from typing import get_args

import pytest
from pydantic import ValidationError

from services.intake import needs
from shared.contracts import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    NeedRegistered,
    NeedSubmitted,
    PostingStatus,
    is_open,
)
from tests.builders import need_event


def registered_need() -> NeedRegistered:
    now = datetime.now(UTC)
    command = NeedSubmitted.model_validate(need_event())
    registered = needs.submit_need(command, None, None, now.date(), now)
    assert not isinstance(registered, str)
    return registered[0]


def test_every_status_is_either_open_or_closed() -> None:
    assert set(OPEN_STATUSES) | set(CLOSED_STATUSES) == set(get_args(PostingStatus))
    assert not set(OPEN_STATUSES) & set(CLOSED_STATUSES)


def test_an_open_posting_is_open_and_a_closed_one_is_not() -> None:
    assert is_open("open")
    assert not any(is_open(status) for status in CLOSED_STATUSES)


@pytest.mark.parametrize("status", ["moved", "Open", "", "matched", "fulfilled"])
def test_a_status_outside_the_open_set_is_not_open(status: str) -> None:
    assert not is_open(status)


@pytest.mark.parametrize("status", ["matched", "fulfilled", "closed"])
def test_a_registered_posting_with_a_status_nothing_produces_is_refused(status: str) -> None:
    document = {**registered_need().model_dump(mode="json"), "status": status}
    with pytest.raises(ValidationError, match="status"):
        NeedRegistered.model_validate(document)


@pytest.mark.parametrize("status", get_args(PostingStatus))
def test_every_status_travels_in_a_registered_posting(status: str) -> None:
    document = {
        **registered_need().model_dump(mode="json"),
        "status": status,
        "event_id": str(uuid.uuid4()),
    }
    assert NeedRegistered.model_validate(document).status == status
