"""What the matcher says about a match, applied in the matcher's order whatever order the
topics arrive in: each event carries the matcher's revision of the match and the newest wins.

A withdrawal that arrives before its suggestion is kept (a row without score) so the late
suggestion cannot reopen it. Decided matches keep their decision: the matcher only learns of it
later, and a decision is final.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.changes import QUEUE_UNCHANGED
from services.review.tables import ReviewMatch
from shared.contracts import MatchSuggested, MatchWithdrawn
from shared.db import one_of

# Statuses the matcher may still change; accepted, rejected and revoked are the reviewer's.
MATCHER_OWNED = ("open", "withdrawn")
MatcherEvent = MatchSuggested | MatchWithdrawn


def _values(event: MatcherEvent) -> dict[str, Any]:
    """The columns an event sets (on insert also ``match_id``, and ``announced`` for a new
    suggestion)."""
    common = {
        "need_id": event.need_id,
        "offer_id": event.offer_id,
        "matcher_revision": event.revision or 0,
    }
    if isinstance(event, MatchWithdrawn):
        return {**common, "status": "withdrawn", "withdrawn_reason": event.reason[:40]}
    return {
        **common,
        "status": "open",
        "kind": event.kind,
        "score": event.score,
        "rank": event.rank,
        "ranked_by": event.ranked_by,
        "model_version": event.model_version,
        "distance_km": event.distance_km,
        "components": event.components.model_dump(exclude_none=True),
        "explanation": event.explanation,
        "suggested_at": event.suggested_at,
        "withdrawn_reason": None,
    }


async def _upsert(session: AsyncSession, events: Sequence[MatcherEvent], revised: bool) -> None:
    """One statement for events of one kind on distinct matches; ``revised``: they carry a
    revision, so a row takes one only if it is newer (else arrival order decides)."""
    rows = [_values(event) for event in events]
    on_insert = {} if isinstance(events[0], MatchWithdrawn) else {"announced": False}
    statement = insert(ReviewMatch)
    # One comparison per status: an IN list would expand per call, which ``executemany`` refuses.
    newer: ColumnElement[bool] = or_(*(ReviewMatch.status == status for status in MATCHER_OWNED))
    if revised:
        newer &= or_(
            ReviewMatch.matcher_revision < statement.excluded.matcher_revision,
            ReviewMatch.matcher_revision.is_(None),
        )
    # The rows as parameters of one statement: compiled once per shape, then cached.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ReviewMatch.match_id],
            set_={name: statement.excluded[name] for name in rows[0]},
            where=newer,
        ),
        [{"match_id": e.match_id, **on_insert, **row} for e, row in zip(events, rows, strict=True)],
    )


async def apply_matcher_events(session: AsyncSession, events: Sequence[MatcherEvent]) -> None:
    """Apply suggestions and withdrawals as if one by one in the given order, in few statements.

    The n-th event of each match goes in round n, so a round touches every match once and its
    order within the round does not matter; a round is one statement per event type (two when
    events with and without a revision are mixed). A burst is one round.
    """
    seen: Counter[str] = Counter()
    rounds: list[list[MatcherEvent]] = []
    for event in events:
        if seen[event.match_id] == len(rounds):
            rounds.append([])
        rounds[seen[event.match_id]].append(event)
        seen[event.match_id] += 1
    for round_events in rounds:
        groups: dict[tuple[type, bool], list[MatcherEvent]] = defaultdict(list)
        for event in round_events:
            groups[type(event), event.revision is not None].append(event)
        for (_, revised), group in groups.items():
            await _upsert(session, group, revised)


async def apply_suggested(session: AsyncSession, match: MatchSuggested) -> None:
    """Open (or refresh) a suggestion unless the matcher has since said something newer."""
    await apply_matcher_events(session, [match])


async def apply_withdrawn(session: AsyncSession, withdrawal: MatchWithdrawn) -> None:
    """Close a suggestion unless the matcher has since suggested it again."""
    await apply_matcher_events(session, [withdrawal])


async def mark_reminded(session: AsyncSession, match_ids: Sequence[str]) -> None:
    """Record that the coordinators have been reminded of the suggestions ``match_ids`` (in
    the caller's transaction, with the reminders)."""
    await _mark(session, match_ids, reminded=True)


async def mark_announced(session: AsyncSession, match_ids: Sequence[str]) -> None:
    """Record that the coordinators have been told of the suggestions ``match_ids`` (in the
    caller's transaction, with the notifications that told them)."""
    await _mark(session, match_ids, announced=True)


async def _mark(session: AsyncSession, match_ids: Sequence[str], **flag: bool) -> None:
    """Set a flag no queue shows on the matches ``match_ids``."""
    await session.execute(
        update(ReviewMatch).where(one_of(ReviewMatch.match_id, match_ids)).values(**flag),
        # no queue shows it; the loaded rows are found by the ids the update returns, where the
        # default evaluated the condition on every row of the session (a batch's squared)
        execution_options={QUEUE_UNCHANGED: True, "synchronize_session": "fetch"},
    )
