"""Reading and writing the matcher's tables inside the caller's transaction: one statement per
table and batch (arrays unnested on the server), each statement built once."""

import json
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher.domain import Changes, Suggestion
from services.matcher.learning.tables import in_force
from services.matcher.profiles import InUse, PostingFields, in_use_json, in_use_of
from shared import topics
from shared.contracts import MatchSuggested, MatchWithdrawn, ScoreComponents
from shared.contracts.statuses import OPEN_STATUSES
from shared.outbox import add_many_to_outbox
from shared.processed_events import claimed_after

# Any fixed namespace works; it makes match ids the same in every instance and on every replay.
MATCH_NAMESPACE = uuid.UUID("5c4a7e0e-3f0d-4b8e-9a52-6d1f0f2b7c11")

_IN_FORCE = in_force().compile(compile_kwargs={"literal_binds": True})  # plain SQL: a subquery
# The group's row locked, with the vocabulary's version (``services.matcher.terms``) and the
# published model in force (``learning.registry.newest_published``) read in the same round trip;
# the last group a transaction locks claims its events too (``shared.processed_events``).
_LOCKED = (
    "locked AS (INSERT INTO matcher_groups (kind_group) VALUES (:group) "
    "ON CONFLICT (kind_group) DO UPDATE SET kind_group = excluded.kind_group "
    "RETURNING revision, ranking_version)"
)
_MARKED = (
    "SELECT revision, ranking_version, "  # noqa: S608 (constants)
    "(SELECT coalesce(max(revision), 0) FROM matcher_term_pairs) AS vocabulary, "
    f"({_IN_FORCE}) AS published"
)
_LOCK = text(f"WITH {_LOCKED} {_MARKED} FROM locked")
_LOCK_AND_CLAIM = text(
    f"WITH {_LOCKED}, {claimed_after('locked')} "  # noqa: S608 (constants)
    f"{_MARKED}, ARRAY(SELECT event_id FROM claimed) AS fresh FROM locked"
)
# The group's mark that it was written (``MatcherStore.mark_written``): drawn by its first write
# in a transaction, or alone.
_MARK = (
    "UPDATE matcher_groups SET revision = nextval('matcher_revision') WHERE kind_group = :group "
)
_WRITTEN = text(_MARK + "RETURNING revision")
_REVISION = text("SELECT revision FROM matcher_groups WHERE kind_group = :group")
_RANKED = text("UPDATE matcher_groups SET ranking_version = :version WHERE kind_group = :group")
_STORED_GROUPS = text(
    "SELECT p.side, p.posting_id, p.kind_group, p.version FROM matcher_postings p "
    "JOIN unnest(CAST(:sides AS text[]), CAST(:ids AS text[])) AS v(side, posting_id) "
    "USING (side, posting_id)"
)
_SAVE_POSTINGS = text(
    f"WITH written AS ({_MARK}RETURNING revision) "  # noqa: S608 (constants)
    "INSERT INTO matcher_postings (side, posting_id, kind_group, version, status, payload) "
    "SELECT v.side, v.posting_id, :group, v.version, v.status, CAST(v.payload AS jsonb) "
    "FROM unnest(CAST(:sides AS text[]), CAST(:ids AS text[]), CAST(:versions AS int[]), "
    "CAST(:statuses AS text[]), CAST(:payloads AS text[])) "
    "AS v(side, posting_id, version, status, payload) "
    "ON CONFLICT (side, posting_id) DO UPDATE SET version = excluded.version, "
    "status = excluded.status, payload = excluded.payload, kind_group = excluded.kind_group, "
    "former_group = CASE WHEN matcher_postings.kind_group <> excluded.kind_group "
    "THEN matcher_postings.kind_group ELSE matcher_postings.former_group END, "
    "revision = nextval('matcher_revision'), updated_at = now() "
    "WHERE matcher_postings.version <= excluded.version "
    "RETURNING side, posting_id, used, CAST(in_use AS text) AS in_use, "
    "(SELECT revision FROM written) AS written"
)
_SET_USED = text(
    "UPDATE matcher_postings p SET used = v.used, used_revision = v.revision, "
    "in_use = CAST(v.in_use AS jsonb), revision = nextval('matcher_revision'), "
    "updated_at = now() "
    "FROM unnest(CAST(:sides AS text[]), CAST(:ids AS text[]), CAST(:used AS int[]), "
    "CAST(:revisions AS bigint[]), CAST(:in_use AS text[])) "
    "AS v(side, posting_id, used, revision, in_use) "
    "WHERE p.side = v.side AND p.posting_id = v.posting_id AND p.used_revision < v.revision"
)
# A posting's ``PostingFields`` read from its JSON on the server, in their order.
FIELDS = (
    "p.posting_id, p.payload->>'kind', p.payload->>'field', "
    "ARRAY(SELECT jsonb_array_elements_text(p.payload->'grades')), "
    "CAST(p.payload#>>'{period,start}' AS date), CAST(p.payload#>>'{period,end}' AS date), "
    "CAST(p.payload#>>'{period,days}' AS int), "
    "CAST(p.payload->>(CASE p.side WHEN 'need' THEN 'quantity' ELSE 'capacity' END) AS int), "
    "CAST(p.payload#>>'{place,latitude}' AS float8), "
    "CAST(p.payload#>>'{place,longitude}' AS float8), p.payload#>>'{place,rtc_region}', "
    "CAST(p.payload->>'max_distance_km' AS float8), p.payload->>'venue', "
    "p.payload#>>'{provider,type}', p.payload->>'title', p.payload->>'description', "
    "ARRAY(SELECT jsonb_array_elements_text(p.payload->'keywords')), CAST(p.in_use AS text)"
)
_POSTINGS = text(
    f"SELECT p.side, p.status, p.used, p.kind_group, {FIELDS} FROM matcher_postings p "  # noqa: S608 (constants)
    "JOIN unnest(CAST(:sides AS text[]), CAST(:ids AS text[])) AS v(side, posting_id) "
    "USING (side, posting_id)"
)
_OPEN_OFFERS = text(
    f"SELECT p.side, p.status, p.used, p.kind_group, {FIELDS} FROM matcher_postings p "  # noqa: S608 (constants)
    "WHERE p.kind_group = :group AND p.side = 'offer' AND p.status = ANY(CAST(:open AS text[]))"
)
_SET_STATUS = text(
    "UPDATE match_suggestions s SET status = v.status, reason = v.reason, "
    "revision = nextval('matcher_revision'), updated_at = now() "
    "FROM unnest(CAST(:ids AS text[]), CAST(:statuses AS text[]), "
    "CAST(:reasons AS text[])) AS v(match_id, status, reason) "
    "WHERE s.match_id = v.match_id RETURNING s.match_id, s.revision"
)
_SAVE_SUGGESTIONS = text(
    "INSERT INTO match_suggestions (match_id, kind_group, need_id, offer_id, kind, score, rank, "
    "distance_km, rtc_region, components, explanation, model_version, status, reason, "
    "suggested_at) "
    "SELECT v.match_id, :group, v.need_id, v.offer_id, v.kind, v.score, v.rank, v.distance_km, "
    "v.rtc_region, CAST(v.components AS jsonb), v.explanation, v.model_version, 'suggested', "
    "NULL, :now "
    "FROM unnest(CAST(:ids AS text[]), CAST(:needs AS text[]), CAST(:offers AS text[]), "
    "CAST(:kinds AS text[]), CAST(:scores AS float8[]), CAST(:ranks AS int[]), "
    "CAST(:distances AS float8[]), CAST(:regions AS text[]), CAST(:components AS text[]), "
    "CAST(:explanations AS text[]), CAST(:versions AS int[])) AS v(match_id, need_id, offer_id, "
    "kind, score, rank, distance_km, rtc_region, components, explanation, model_version) "
    "ON CONFLICT (match_id) DO UPDATE SET kind_group = excluded.kind_group, "
    "need_id = excluded.need_id, offer_id = excluded.offer_id, kind = excluded.kind, "
    "score = excluded.score, rank = excluded.rank, distance_km = excluded.distance_km, "
    "rtc_region = excluded.rtc_region, components = excluded.components, "
    "explanation = excluded.explanation, model_version = excluded.model_version, "
    "status = 'suggested', reason = NULL, "
    "suggested_at = excluded.suggested_at, revision = nextval('matcher_revision'), "
    "updated_at = now() RETURNING match_id, revision"
)
_MATCHES = text(
    "SELECT match_id, kind_group, need_id, offer_id FROM match_suggestions "
    "WHERE match_id = ANY(CAST(:ids AS text[]))"
)
_CHANGED_POSTINGS = text(
    f"SELECT p.side, p.status, p.used, p.kind_group, {FIELDS} FROM matcher_postings p "  # noqa: S608 (constants)
    "WHERE p.revision > :since AND (p.kind_group = :group OR p.former_group = :group)"
)
_CHANGED_PAIRS = text(
    "SELECT need_id, offer_id, status FROM match_suggestions "
    "WHERE kind_group = :group AND revision > :since "
    "AND (CAST(:statuses AS text[]) IS NULL OR status = ANY(CAST(:statuses AS text[])))"
)
# Components as JSON text, decoded by ``json.loads`` alone (no JSONB result processing).
_SUGGESTION = (
    "SELECT need_id, offer_id, kind, score, rank, distance_km, rtc_region, "
    "CAST(components AS text), explanation, model_version FROM match_suggestions "
    "WHERE kind_group = :group AND status = 'suggested'"
)
_LIVE = text(_SUGGESTION + " AND need_id = ANY(CAST(:needs AS text[]))")
_ALL_LIVE = text(_SUGGESTION)


def match_id(need_id: str, offer_id: str) -> str:
    """The one id of a (need, offer) pair, however often it is suggested."""
    return str(uuid.uuid5(MATCH_NAMESPACE, f"{need_id}\n{offer_id}"))


@dataclass(frozen=True, slots=True)
class StoredPosting:
    """A posting as the matcher stored it."""

    side: str
    status: str
    used: int
    kind_group: str
    fields: PostingFields

    @property
    def posting_id(self) -> str:
        return self.fields.posting_id


@dataclass(frozen=True, slots=True)
class StoredMatch:
    """Where a suggested pair is kept."""

    match_id: str
    kind_group: str
    need_id: str
    offer_id: str


@dataclass(frozen=True, slots=True)
class GroupMark:
    """A locked kind group: its last written revision, the model its lists ranked with, and,
    when it was locked, the vocabulary's version and the published model in force (None: the
    weights rank)."""

    revision: int
    ranking_version: int | None
    vocabulary: int
    published: int | None


class MatcherStore:
    """The matcher's rows, read and written in one session's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.wrote = False  # whether the transaction changed a posting or a suggestion
        self._marks: dict[str, int] = {}  # the groups' marks drawn by ``save_postings``

    async def lock(self, group: str) -> GroupMark:
        """Lock the kind group until the transaction ends."""
        row = (await self._session.execute(_LOCK, {"group": group})).one()
        return GroupMark(row.revision, row.ranking_version, row.vocabulary, row.published)

    async def lock_and_claim(
        self, group: str, consumer: str, event_ids: Sequence[str]
    ) -> tuple[GroupMark, set[str]]:
        """``lock``, then ``shared.processed_events.claim_events`` in the same round trip: the
        mark and the ids not seen before."""
        row = (
            await self._session.execute(
                _LOCK_AND_CLAIM, {"group": group, "consumer": consumer, "ids": list(event_ids)}
            )
        ).one()
        mark = GroupMark(row.revision, row.ranking_version, row.vocabulary, row.published)
        return mark, set(row.fresh)

    async def revision(self, group: str) -> int:
        """The group's last written revision, without locking it (0: never written)."""
        return int(await self._session.scalar(_REVISION, {"group": group}) or 0)

    async def mark_written(self, group: str) -> int:
        """Record that the group was written in this transaction; returns the revision that says
        so, drawn by the group's first write when it drew one (its postings saved), which saves
        a statement. Either way every later writer of the group draws higher revisions, so the
        mark tells others that the group moved, and the rows above their own mark what."""
        if group in self._marks:
            return self._marks[group]
        return int((await self._session.execute(_WRITTEN, {"group": group})).scalar_one())

    async def mark_ranked(self, group: str, version: int | None) -> None:
        """Record which published model the group's lists are now ranked with."""
        self.wrote = True
        await self._session.execute(_RANKED, {"group": group, "version": version})

    async def stored_groups(
        self, keys: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[str, int]]:
        """(side, posting id) -> the kind group and version it is stored with."""
        if not keys:
            return {}
        sides, ids = _columns(keys, 2)
        rows = await self._session.execute(_STORED_GROUPS, {"sides": sides, "ids": ids})
        return {(row.side, row.posting_id): (row.kind_group, row.version) for row in rows}

    async def save_postings(
        self, group: str, postings: Sequence[tuple[str, str, int, str, dict[str, Any]]]
    ) -> dict[tuple[str, str], tuple[int, InUse]]:
        """Store (side, id, version, status, payload) postings (one each) unless a newer version
        is stored, the group's mark drawn in the same statement (``mark_written``); the saved
        ones' ``used`` and units in use."""
        if not postings:
            return {}
        sides, ids, versions, statuses, payloads = _columns(postings, 5)
        self.wrote = True
        rows = await self._session.execute(
            _SAVE_POSTINGS,
            {
                "group": group, "sides": sides, "ids": ids, "versions": versions,
                "statuses": statuses, "payloads": [json.dumps(p) for p in payloads],
            },
        )  # fmt: skip
        saved = rows.all()
        if saved:
            self._marks[group] = saved[0].written
        return {(row.side, row.posting_id): (row.used, in_use_of(row.in_use)) for row in saved}

    async def set_used(self, used: Sequence[tuple[str, str, int, int, InUse]]) -> None:
        """Record (side, id, used, review revision, units in use): what accepted matches took
        of a posting; an older review than the one applied changes nothing."""
        if used:
            sides, ids, counts, revisions, in_use = _columns(used, 5)
            self.wrote = True
            await self._session.execute(
                _SET_USED,
                {
                    "sides": sides, "ids": ids, "used": counts, "revisions": revisions,
                    "in_use": [in_use_json(runs) for runs in in_use],
                },
            )  # fmt: skip

    async def postings(self, keys: Collection[tuple[str, str]]) -> list[StoredPosting]:
        """The stored postings of (side, id) ``keys``."""
        if not keys:
            return []
        sides, ids = _columns(keys, 2)
        rows = await self._session.execute(_POSTINGS, {"sides": sides, "ids": ids})
        return [_stored(row) for row in rows]

    async def open_offers(self, group: str) -> list[StoredPosting]:
        """The group's offers whose stored status is open (some may be past or used up)."""
        rows = await self._session.execute(
            _OPEN_OFFERS, {"group": group, "open": list(OPEN_STATUSES)}
        )
        return [_stored(row) for row in rows]

    async def matches(self, match_ids: Collection[str]) -> dict[str, StoredMatch]:
        """The stored pairs of ``match_ids`` (unknown ones left out)."""
        if not match_ids:
            return {}
        rows = await self._session.execute(_MATCHES, {"ids": list(match_ids)})
        return {row.match_id: StoredMatch(*row) for row in rows}

    async def set_statuses(self, statuses: Sequence[tuple[str, str, str | None]]) -> dict[str, int]:
        """Move (match id, status, reason) suggestions to their status; their new revisions."""
        if not statuses:
            return {}
        ids, states, reasons = _columns(statuses, 3)
        self.wrote = True
        rows = await self._session.execute(
            _SET_STATUS, {"ids": ids, "statuses": states, "reasons": reasons}
        )
        return {row.match_id: row.revision for row in rows}

    async def changed_postings(self, group: str, since: int) -> list[StoredPosting]:
        """The group's postings (and those that left it) written after revision ``since``."""
        rows = await self._session.execute(_CHANGED_POSTINGS, {"group": group, "since": since})
        return [_stored(row) for row in rows]

    async def changed_pairs(
        self, group: str, since: int, statuses: Sequence[str] | None = None
    ) -> list[tuple[str, str, str]]:
        """(need, offer, status) of the group's suggestions (in ``statuses``; None: in any)
        written after revision ``since``."""
        wanted = None if statuses is None else list(statuses)
        rows = await self._session.execute(
            _CHANGED_PAIRS, {"group": group, "since": since, "statuses": wanted}
        )
        return [(row.need_id, row.offer_id, row.status) for row in rows]

    async def live_suggestions(
        self, group: str, need_ids: Collection[str] | None
    ) -> list[Suggestion]:
        """The standing suggestions of ``need_ids`` (None: of the whole group)."""
        if need_ids is None:
            rows = await self._session.execute(_ALL_LIVE, {"group": group})
        else:
            rows = await self._session.execute(_LIVE, {"group": group, "needs": list(need_ids)})
        return [_suggestion(row) for row in rows]

    async def record(self, group: str, changes: Changes, now: datetime) -> None:
        """Store what changed and queue ``matches.suggested`` / ``matches.withdrawn``."""
        pairs = [(match_id(w.need_id, w.offer_id), w) for w in changes.withdrawn]
        revisions = await self.set_statuses([(match, "withdrawn", w.reason) for match, w in pairs])
        events: list[tuple[str, str, BaseModel]] = [
            (topics.MATCHES_WITHDRAWN, withdrawal.need_id, MatchWithdrawn(
                event_id=uuid.uuid4(), match_id=match, need_id=withdrawal.need_id,
                offer_id=withdrawal.offer_id, reason=withdrawal.reason, withdrawn_at=now,
                revision=revisions.get(match),
            ))
            for match, withdrawal in pairs
        ]  # fmt: skip
        suggested = [match_id(s.need_id, s.offer_id) for s in changes.suggested]
        revisions = await self._save_suggestions(group, suggested, changes.suggested, now)
        events += [
            (topics.MATCHES_SUGGESTED, one.need_id, _suggested(match, one, now, revisions[match]))
            for match, one in zip(suggested, changes.suggested, strict=True)
        ]
        await add_many_to_outbox(self._session, events)

    async def _save_suggestions(
        self, group: str, match_ids: list[str], suggestions: Sequence[Suggestion], now: datetime
    ) -> dict[str, int]:
        if not suggestions:
            return {}
        self.wrote = True
        rows = await self._session.execute(
            _SAVE_SUGGESTIONS,
            {
                "group": group, "now": now, "ids": match_ids,
                "needs": [s.need_id for s in suggestions],
                "offers": [s.offer_id for s in suggestions],
                "kinds": [s.kind for s in suggestions],
                "scores": [s.score for s in suggestions],
                "ranks": [s.rank for s in suggestions],
                "distances": [s.distance_km for s in suggestions],
                "regions": [s.rtc_region for s in suggestions],
                "components": [json.dumps(s.components) for s in suggestions],
                "explanations": [s.explanation for s in suggestions],
                "versions": [s.model_version for s in suggestions],
            },
        )  # fmt: skip
        return {row.match_id: row.revision for row in rows}


def _suggested(
    match: str, suggestion: Suggestion, now: datetime, revision: int | None
) -> MatchSuggested:
    """The public event of a suggestion, with the revision it was stored under."""
    return MatchSuggested(
        event_id=uuid.uuid4(),
        match_id=match,
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
        ranked_by="rule" if suggestion.model_version is None else "model",
        model_version=suggestion.model_version,
    )


def _suggestion(row: Row[Any]) -> Suggestion:
    need_id, offer_id, kind, score, rank, km, region, components, explanation, version = row
    return Suggestion(
        need_id, offer_id, kind, score, rank, km, region, json.loads(components), explanation,
        version,
    )  # fmt: skip


def _stored(row: Row[Any]) -> StoredPosting:
    side, status, used, group, *fields, in_use = row
    return StoredPosting(
        side, status, used, group, PostingFields(*fields)._replace(in_use=in_use_of(in_use))
    )


def _columns(rows: Collection[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows as ``width`` parallel lists (the arrays a statement unnests)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width
