"""Decisions on matches that are no longer open are refused with a clear reason."""

import pytest

from services.review.rules import (
    DecisionRefused,
    MatchState,
    check_decision,
    check_revocation,
    units_taken,
)

OPEN = MatchState(status="open", offer_capacity_left=2, need_quantity_left=1)


@pytest.mark.parametrize(
    ("state", "decision", "reason_code", "refusal"),
    [
        (MatchState("withdrawn", 2, 1), "accepted", None, "withdrawn"),
        (MatchState("accepted", 2, 1), "rejected", "quality", "already_decided"),
        (MatchState("rejected", 2, 1), "accepted", None, "already_decided"),
        (OPEN, "rejected", None, "reason_code_required"),
        (OPEN, "rejected", "too_expensive", "reason_code_required"),
        (MatchState("open", 0, 1), "accepted", None, "offer_fully_booked"),
        (MatchState("open", 2, 0), "accepted", None, "need_fulfilled"),
        (OPEN, "postponed", None, "invalid_decision"),
    ],
)
def test_refusals(state: MatchState, decision: str, reason_code: str | None, refusal: str) -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_decision(state, decision, reason_code)
    assert refused.value.code == refusal
    assert refused.value.message


def test_open_matches_may_be_accepted_or_rejected_with_a_reason_code() -> None:
    check_decision(OPEN, "accepted", None)
    for code in ("too_far", "wrong_field", "dates", "capacity", "quality", "other"):
        check_decision(OPEN, "rejected", code)
    # A full offer does not stop a rejection.
    check_decision(MatchState("open", 0, 0), "rejected", "capacity")


@pytest.mark.parametrize(
    ("need_left", "offer_left", "taken"), [(1, 2, 1), (3, 2, 2), (2, 2, 2), (0, 5, 0), (4, 0, 0)]
)
def test_an_acceptance_takes_what_the_need_lacks_up_to_what_the_offer_has(
    need_left: int, offer_left: int, taken: int
) -> None:
    assert units_taken(need_left, offer_left) == taken


@pytest.mark.parametrize(
    ("status", "step", "reason", "refusal"),
    [
        ("open", None, "Bedrijf annuleert", "not_accepted"),
        ("rejected", None, "Bedrijf annuleert", "not_accepted"),
        ("revoked", None, "Bedrijf annuleert", "not_accepted"),
        ("accepted", None, "  ", "reason_required"),
        ("accepted", "cancelled", "Bedrijf annuleert", "cancelled"),
    ],
)
def test_only_an_accepted_match_not_cancelled_is_revoked_and_only_with_a_reason(
    status: str, step: str | None, reason: str, refusal: str
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_revocation(status, step, reason)
    assert refused.value.code == refusal


@pytest.mark.parametrize("step", [None, "dates_agreed", "delivered", "took_place"])
def test_an_accepted_match_with_a_reason_may_be_revoked(step: str | None) -> None:
    check_revocation("accepted", step, "Het bedrijf annuleert de stage")


def test_acceptance_of_a_closed_posting_is_refused() -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_decision(MatchState("open", 2, 1, postings_open=False), "accepted", None)
    assert refused.value.code == "posting_closed"
