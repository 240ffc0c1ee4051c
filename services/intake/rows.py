"""Intake's posting rows in Core statements, each built once: what a batch reads (its postings
and their waiting withdrawals, locked, and its owners' registered names) in one statement, the
open postings whose period ended, and one upsert a side for the rows a transaction changed."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection

from services.intake.ordering import RecordTimes, Tombstone
from shared import own_versions
from shared.accounts import OrganisationKind
from shared.contracts import OPEN_STATUSES, NeedRegistered, OfferRegistered, Side

# Each side's table, its key and its owner's number column.
_TABLES: dict[Side, tuple[str, str, str]] = {
    "need": ("needs", "need_id", "institution_number"),
    "offer": ("offers", "offer_id", "enterprise_number"),
}
# What intake reads of a stored posting (``Stored``), by the names of its side's table.
_COLUMNS = {
    side: f"{key} AS posting_id, {owner} AS owner_number, status, "
    "CAST(registered AS text) AS registered, first_submitted_at, content_produced_at, "
    "closed_produced_at"
    for side, (_, key, owner) in _TABLES.items()
}
# What a batch reads, in one row: its postings and their tombstones, locked (the expiry round
# skips them), and the names of the organisations its submissions name; each an array of rows.
_READ = text(f"""
    WITH stored_needs AS (
        SELECT {_COLUMNS["need"]} FROM needs WHERE need_id = ANY(CAST(:needs AS text[]))
        FOR UPDATE
    ), stored_offers AS (
        SELECT {_COLUMNS["offer"]} FROM offers WHERE offer_id = ANY(CAST(:offers AS text[]))
        FOR UPDATE
    ), waiting AS (
        SELECT event_id, side, posting_id, requested_by, produced_at FROM posting_tombstones
        WHERE (side = 'need' AND posting_id = ANY(CAST(:needs AS text[])))
        OR (side = 'offer' AND posting_id = ANY(CAST(:offers AS text[])))
        FOR UPDATE
    )
    SELECT ARRAY(SELECT ROW(n.*) FROM stored_needs n) AS needs,
        ARRAY(SELECT ROW(o.*) FROM stored_offers o) AS offers,
        ARRAY(SELECT ROW(w.*) FROM waiting w) AS tombstones,
        ARRAY(
            SELECT ROW(org.kind, org.number, org.name) FROM organisations org
            JOIN unnest(CAST(:kinds AS text[]), CAST(:numbers AS text[])) AS v(kind, number)
            ON org.kind = v.kind AND org.number = v.number
        ) AS names
""")  # noqa: S608 - constants
_EXPIRED = (
    "SELECT {columns} FROM {table} WHERE status = ANY(CAST(:open AS text[])) "
    "AND period_end < :today LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_EXPIRED_OF = {
    side: text(_EXPIRED.format(columns=_COLUMNS[side], table=table))
    for side, (table, _, _) in _TABLES.items()
}
# A side's changed rows, one array a column: inserted, or updated but for when it was first
# submitted (and created); the versions of their owners' postings drawn (``own_versions``).
_SAVE = """
    WITH drawn AS ({drawn})
    INSERT INTO {table} ({own}, version, status, kind, field, rtc_region, period_start,
        period_end, registered, first_submitted_at, content_produced_at, closed_produced_at,
        updated_at)
    SELECT {own}, version, status, kind, field, rtc_region, period_start, period_end,
        CAST(registered AS jsonb), first_submitted_at, content_produced_at, closed_produced_at,
        updated_at
    FROM unnest({own_arrays}, CAST(:version AS int[]), CAST(:status AS text[]),
        CAST(:kind AS text[]), CAST(:field AS text[]), CAST(:rtc_region AS text[]),
        CAST(:period_start AS date[]), CAST(:period_end AS date[]),
        CAST(:registered AS text[]), CAST(:first_submitted_at AS timestamptz[]),
        CAST(:content_produced_at AS timestamptz[]), CAST(:closed_produced_at AS timestamptz[]),
        CAST(:updated_at AS timestamptz[]))
    AS v({own}, version, status, kind, field, rtc_region, period_start, period_end, registered,
        first_submitted_at, content_produced_at, closed_produced_at, updated_at)
    ON CONFLICT ({key}) DO UPDATE SET {own_updates}, version = excluded.version,
        status = excluded.status, kind = excluded.kind, field = excluded.field,
        rtc_region = excluded.rtc_region, period_start = excluded.period_start,
        period_end = excluded.period_end, registered = excluded.registered,
        content_produced_at = excluded.content_produced_at,
        closed_produced_at = excluded.closed_produced_at, updated_at = excluded.updated_at
"""


def _saving(side: Side) -> TextClause:
    table, key, owner = _TABLES[side]
    own = (owner, "linked_need_id") if side == "need" else (owner,)
    return text(
        _SAVE.format(
            drawn=own_versions.drawing(f"SELECT '{side}', unnest(CAST(:owners AS text[]))"),
            table=table,
            key=key,
            own=", ".join((key, *own)),
            own_arrays=", ".join(f"CAST(:{column} AS text[])" for column in (key, *own)),
            own_updates=", ".join(f"{column} = excluded.{column}" for column in own),
        )
    )


_SAVE_OF = {side: _saving(side) for side in _TABLES}


@dataclass(frozen=True, slots=True)
class Stored:
    """A posting as stored (or as the transaction will store it)."""

    owner_number: str
    status: str
    registered: str  # the registered event's JSON
    times: RecordTimes


Stock = dict[str, Stored]  # stored postings of one side by id


class BatchRead(NamedTuple):
    """What a batch reads: its stored needs and offers, their tombstones, the names."""

    needs: Stock
    offers: Stock
    tombstones: list[Tombstone]
    names: dict[tuple[OrganisationKind, str], str]


class Change(NamedTuple):
    """A posting a transaction changed, the row it writes for it and the moment of the change."""

    posting: NeedRegistered | OfferRegistered
    row: Stored
    now: datetime


async def read_batch(
    connection: AsyncConnection,
    need_ids: Iterable[str],
    offer_ids: Iterable[str],
    organisations: Iterable[tuple[OrganisationKind, str]],
) -> BatchRead:
    """Lock and read these postings and their tombstones; read the organisations' names."""
    named = set(organisations)
    read = await connection.execute(
        _READ,
        {
            "needs": list(need_ids),
            "offers": list(offer_ids),
            "kinds": [kind for kind, _ in named],
            "numbers": [number for _, number in named],
        },
    )
    needs, offers, tombstones, names = read.one()
    return BatchRead(
        _stock(needs),
        _stock(offers),
        [Tombstone(*tombstone) for tombstone in tombstones],
        {(kind, number): name for kind, number, name in names},
    )


async def read_expired(connection: AsyncConnection, side: Side, today: date, limit: int) -> Stock:
    """Lock and read open postings of ``side`` whose period ended before ``today``."""
    expired = {"open": list(OPEN_STATUSES), "today": today, "limit": limit}
    return _stock(await connection.execute(_EXPIRED_OF[side], expired))


async def save(
    connection: AsyncConnection, side: Side, changes: Sequence[Change], owners: Iterable[str]
) -> None:
    """Insert or update the rows of ``side``'s changed postings; move the version of the
    ``owners``' postings."""
    if not changes:
        return
    _, key, owner = _TABLES[side]
    columns = _shared_columns(changes) | {
        key: [c.posting.posting_id for c in changes],
        owner: [c.row.owner_number for c in changes],
        "owners": list(owners),
    }
    if side == "need":
        columns["linked_need_id"] = [_linked(c.posting) for c in changes]
    await connection.execute(_SAVE_OF[side], columns)


def _stock(rows: Iterable[Sequence[Any]]) -> Stock:
    """Stored postings from rows of their id, owner, status, registered event, record times."""
    return {
        posting_id: Stored(owner_number, status, registered, RecordTimes(*times))
        for posting_id, owner_number, status, registered, *times in rows
    }


def _linked(posting: NeedRegistered | OfferRegistered) -> str | None:
    return posting.linked_need_id if isinstance(posting, NeedRegistered) else None


def _shared_columns(changes: Sequence[Change]) -> dict[str, list[object]]:
    """The arrays of the columns both sides have."""
    return {
        "version": [c.posting.version for c in changes],
        "status": [c.posting.status for c in changes],
        "kind": [c.posting.kind for c in changes],
        "field": [c.posting.field for c in changes],
        "rtc_region": [c.posting.place.rtc_region for c in changes],
        "period_start": [c.posting.period.start for c in changes],
        "period_end": [c.posting.period.end for c in changes],
        "registered": [c.row.registered for c in changes],
        "first_submitted_at": [c.row.times.first_submitted for c in changes],
        "content_produced_at": [c.row.times.content for c in changes],
        "closed_produced_at": [c.row.times.closed for c in changes],
        "updated_at": [c.now for c in changes],
    }
