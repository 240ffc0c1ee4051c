"""Reading and writing the matcher's tables inside the caller's transaction."""

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher.domain import Changes, Suggestion
from services.matcher.tables import REVISION, MatcherPosting, MatchSuggestion
from shared import topics
from shared.contracts import MatchSuggested, MatchWithdrawn, ScoreComponents
from shared.outbox import add_to_outbox

# Any fixed namespace works; it makes match ids the same in every instance and on every replay.
DECIDED = ("accepted", "rejected", "revoked")
MATCH_NAMESPACE = uuid.UUID("5c4a7e0e-3f0d-4b8e-9a52-6d1f0f2b7c11")


def match_id(need_id: str, offer_id: str) -> str:
    """The one id of a (need, offer) pair, however often it is suggested."""
    return str(uuid.uuid5(MATCH_NAMESPACE, f"{need_id}\n{offer_id}"))


class MatcherStore:
    """The matcher's rows, read and written in one session's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_posting(
        self, side: str, posting_id: str, version: int, status: str, payload: dict[str, Any]
    ) -> int | None:
        """Store a registered posting unless a newer version is stored; return its ``used``."""
        inserted = insert(MatcherPosting).values(
            side=side, posting_id=posting_id, version=version, status=status, payload=payload
        )
        statement = inserted.on_conflict_do_update(
            index_elements=[MatcherPosting.side, MatcherPosting.posting_id],
            set_={
                "version": version,
                "status": status,
                "payload": payload,
                "revision": REVISION.next_value(),
                "updated_at": func.now(),
            },
            where=MatcherPosting.version <= version,
        ).returning(MatcherPosting.used)
        return (await self._session.scalars(statement)).one_or_none()

    async def set_used(
        self, side: str, posting_id: str, used: int, revision: int
    ) -> MatcherPosting | None:
        """Record what accepted matches have taken of a posting as of review ``revision``; an
        older review than the one applied changes nothing. Returns the stored posting."""
        await self._session.execute(
            update(MatcherPosting)
            .where(
                MatcherPosting.side == side,
                MatcherPosting.posting_id == posting_id,
                MatcherPosting.used_revision < revision,
            )
            .values(
                used=used,
                used_revision=revision,
                revision=REVISION.next_value(),
                updated_at=func.now(),
            )
        )
        return await self._session.get(MatcherPosting, (side, posting_id), populate_existing=True)

    async def changed_postings(self, since: int) -> list[MatcherPosting]:
        """Postings written after revision ``since``."""
        rows = await self._session.scalars(
            select(MatcherPosting).where(MatcherPosting.revision > since)
        )
        return list(rows.all())

    async def changed_suggestions(self, since: int) -> list[MatchSuggestion]:
        """Suggestions written after revision ``since``."""
        rows = await self._session.scalars(
            select(MatchSuggestion).where(MatchSuggestion.revision > since)
        )
        return list(rows.all())

    async def live_suggestions(self, need_ids: Collection[str]) -> list[MatchSuggestion]:
        """The standing suggestions of ``need_ids``."""
        rows = await self._session.scalars(
            select(MatchSuggestion).where(
                MatchSuggestion.need_id.in_(need_ids), MatchSuggestion.status == "suggested"
            )
        )
        return list(rows.all())

    async def suggestion(self, match: str) -> MatchSuggestion | None:
        """One stored suggestion by match id."""
        return await self._session.get(MatchSuggestion, match)

    async def latest_revision(self) -> int:
        """The highest revision written to the matcher's tables."""
        postings = await self._session.scalar(select(func.max(MatcherPosting.revision)))
        matches = await self._session.scalar(select(func.max(MatchSuggestion.revision)))
        return max(postings or 0, matches or 0)

    async def set_status(self, match: str, status: str, reason: str | None) -> int | None:
        """Move a suggestion to ``status``; return its new revision."""
        return await self._session.scalar(
            update(MatchSuggestion)
            .where(MatchSuggestion.match_id == match)
            .values(
                status=status, reason=reason, revision=REVISION.next_value(), updated_at=func.now()
            )
            .returning(MatchSuggestion.revision)
        )

    async def record(self, changes: Changes, now: datetime) -> None:
        """Store what changed and queue ``matches.suggested`` / ``matches.withdrawn``."""
        for withdrawal in changes.withdrawn:
            match = match_id(withdrawal.need_id, withdrawal.offer_id)
            revision = await self.set_status(match, "withdrawn", withdrawal.reason)
            event = MatchWithdrawn(
                event_id=uuid.uuid4(), match_id=match, need_id=withdrawal.need_id,
                offer_id=withdrawal.offer_id, reason=withdrawal.reason, withdrawn_at=now,
                revision=revision,
            )  # fmt: skip
            add_to_outbox(self._session, topics.MATCHES_WITHDRAWN, withdrawal.need_id, event)
        for suggestion in changes.suggested:
            revision = await self._save_suggestion(suggestion, now)
            add_to_outbox(
                self._session,
                topics.MATCHES_SUGGESTED,
                suggestion.need_id,
                suggested(suggestion, now, revision),
            )

    async def _save_suggestion(self, suggestion: Suggestion, now: datetime) -> int:
        values = {
            "need_id": suggestion.need_id, "offer_id": suggestion.offer_id,
            "kind": suggestion.kind, "score": suggestion.score, "rank": suggestion.rank,
            "distance_km": suggestion.distance_km, "rtc_region": suggestion.rtc_region,
            "components": suggestion.components, "explanation": suggestion.explanation,
            "status": "suggested", "reason": None, "suggested_at": now,
        }  # fmt: skip
        match = match_id(suggestion.need_id, suggestion.offer_id)
        statement = insert(MatchSuggestion).values(match_id=match, **values)
        return (
            await self._session.scalars(
                statement.on_conflict_do_update(
                    index_elements=[MatchSuggestion.match_id],
                    set_={**values, "revision": REVISION.next_value(), "updated_at": func.now()},
                ).returning(MatchSuggestion.revision)
            )
        ).one()


def suggested(suggestion: Suggestion, now: datetime, revision: int | None) -> MatchSuggested:
    """The public event of a suggestion, with the revision it was stored under."""
    return MatchSuggested(
        event_id=uuid.uuid4(),
        match_id=match_id(suggestion.need_id, suggestion.offer_id),
        need_id=suggestion.need_id,
        offer_id=suggestion.offer_id,
        kind=suggestion.kind,
        score=suggestion.score,
        rank=suggestion.rank,
        distance_km=suggestion.distance_km,
        rtc_region=suggestion.rtc_region,
        components=ScoreComponents(**suggestion.components),
        explanation=suggestion.explanation,
        suggested_at=now,
        revision=revision,
    )


def stored_suggestion(row: MatchSuggestion) -> Suggestion:
    """A stored suggestion as the engine holds it."""
    return Suggestion(
        need_id=row.need_id, offer_id=row.offer_id, kind=row.kind, score=row.score,
        rank=row.rank, distance_km=row.distance_km, rtc_region=row.rtc_region,
        components=row.components, explanation=row.explanation,
    )  # fmt: skip


def decided_pairs(rows: Iterable[MatchSuggestion]) -> list[tuple[str, str]]:
    """The (need, offer) pairs a coordinator decided."""
    return [(row.need_id, row.offer_id) for row in rows if row.status in DECIDED]
