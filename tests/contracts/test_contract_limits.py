"""Ids and texts that land in a column are bounded and free of control characters (issue #9)."""

import uuid

import pytest
from pydantic import ValidationError

from shared.contracts import MatchDecided, NeedWithdrawn

DECIDED = {
    "event_id": str(uuid.uuid4()),
    "match_id": "m-1",
    "decision": "accepted",
    "decided_by": "coordinator-limburg",
    "decided_at": "2027-01-21T10:00:00Z",
}


@pytest.mark.parametrize("match_id", ["", "m\x00", "m" * 101])
def test_a_decision_on_an_unusable_match_id_is_invalid(match_id: str) -> None:
    with pytest.raises(ValidationError):
        MatchDecided.model_validate({**DECIDED, "match_id": match_id})


@pytest.mark.parametrize(
    "overrides", [{"decided_by": "d" * 201}, {"decided_by": "An\x00"}, {"reason": "te ver\x00"}]
)
def test_a_decision_with_unusable_text_is_invalid(overrides: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        MatchDecided.model_validate({**DECIDED, **overrides})


@pytest.mark.parametrize("number", ["0" * 21, "048561\x00"])
def test_an_unusable_organisation_number_on_a_withdrawal_is_invalid(number: str) -> None:
    with pytest.raises(ValidationError):
        NeedWithdrawn.model_validate(
            {"event_id": str(uuid.uuid4()), "need_id": "n-1", "organisation_number": number}
        )
