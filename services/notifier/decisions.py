"""Coordinator decisions: ``decide``, called by the web API.

``decide`` checks the decision against the notifier's read model and writes it together with its
matches.decided event (outbox) in the caller's transaction. Its consequences follow from the
event (``consequences``), so a decision published straight onto Kafka has the same effect.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.rules import Decision, DecisionRefused, MatchState, check_decision
from services.notifier.tables import CoordinatorRow, NeedView, OfferView, SuggestionView
from shared import topics
from shared.contracts import MatchDecided
from shared.contracts.matches import ReasonCode
from shared.outbox import add_to_outbox


async def decide(
    session: AsyncSession,
    match_id: str,
    decision: Decision,
    reason_code: ReasonCode | None,
    reason: str,
    decided_by: str,
) -> MatchDecided:
    """Accept or reject an open suggestion as the coordinator with e-mail ``decided_by``; raise
    ``DecisionRefused`` with a clear reason if not. The caller commits.

    A match outside the coordinator's region is refused exactly like one that does not exist.
    """
    suggestion = await session.get(SuggestionView, match_id, with_for_update=True)
    need = await session.get(NeedView, suggestion.need_id) if suggestion else None
    offer = await session.get(OfferView, suggestion.offer_id) if suggestion else None
    region = await session.scalar(
        select(CoordinatorRow.rtc_region).where(CoordinatorRow.email == decided_by)
    )
    if suggestion is None or need is None or offer is None or need.rtc_region != region:
        raise DecisionRefused("unknown_match", f"no suggestion {match_id!r} for you to decide")
    state = MatchState(
        status=suggestion.status,
        offer_capacity_left=offer.capacity - offer.capacity_used,
        need_quantity_left=need.quantity - need.quantity_met,
    )
    check_decision(state, decision, reason_code)
    decided = MatchDecided(
        event_id=uuid.uuid4(),
        match_id=match_id,
        decision=decision,
        reason=reason,
        reason_code=reason_code if decision == "rejected" else None,
        decided_by=decided_by,
        decided_at=datetime.now(UTC),
    )
    record_decision(suggestion, decided)
    add_to_outbox(session, topics.MATCHES_DECIDED, match_id, decided)
    return decided


def record_decision(suggestion: SuggestionView, decided: MatchDecided) -> None:
    """Write a decision on the suggestion it decides."""
    suggestion.status = decided.decision
    suggestion.reason_code = decided.reason_code
    suggestion.reason = decided.reason
    suggestion.decided_by = decided.decided_by
    suggestion.decided_at = decided.decided_at
    suggestion.decision_event_id = str(decided.event_id)
