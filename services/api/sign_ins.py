"""The ways a user is signed in: bearer tokens and browser sessions. Issue one, list the live
ones, revoke one or all. Only hashes of the secrets are stored; rows stay for the record."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.credentials import new_token, token_hash
from services.api.tables import ApiTokenRow, BrowserSessionRow

SignInTable = type[ApiTokenRow] | type[BrowserSessionRow]
# A session's last use is written at most this often (not on every request).
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class SessionLimits:
    """How long a browser session lasts: since its last use, and at most since it began."""

    idle: timedelta
    lifetime: timedelta


@dataclass(frozen=True, slots=True)
class Client:
    """Where a sign-in came from, shown in the list of one's sessions."""

    user_agent: str
    address: str


async def issue_token(session: AsyncSession, user_id: int, name: str, lifetime: timedelta) -> str:
    """A new bearer token of ``user_id`` expiring after ``lifetime``; returned once."""
    token = new_token()
    expires_at = datetime.now(UTC) + lifetime
    session.add(
        ApiTokenRow(user_id=user_id, name=name, token_hash=token_hash(token), expires_at=expires_at)
    )
    await session.flush()
    return token


async def start_session(
    session: AsyncSession, user_id: int, limits: SessionLimits, client: Client
) -> tuple[str, BrowserSessionRow]:
    """A new browser session of ``user_id``: the session id for the cookie (returned once) and
    the row, with its CSRF token."""
    session_id, now = new_token(), datetime.now(UTC)
    row = BrowserSessionRow(
        user_id=user_id,
        id_hash=token_hash(session_id),
        csrf_token=new_token(),
        user_agent=client.user_agent[:200],
        client_address=client.address[:64],
        created_at=now,
        last_seen_at=now,
        expires_at=now + limits.lifetime,
    )
    session.add(row)
    await session.flush()
    return session_id, row


def live_token() -> ColumnElement[bool]:
    """The condition of a token that still authenticates."""
    return and_(ApiTokenRow.revoked_at.is_(None), ApiTokenRow.expires_at > func.now())


def live_session(idle: timedelta | ColumnElement[timedelta]) -> ColumnElement[bool]:
    """The condition of a browser session that still authenticates (used within ``idle``, a
    duration or the statement's parameter)."""
    return and_(
        BrowserSessionRow.revoked_at.is_(None),
        BrowserSessionRow.expires_at > func.now(),
        BrowserSessionRow.last_seen_at > func.now() - idle,
    )


async def tokens_of(session: AsyncSession, user_id: int) -> list[ApiTokenRow]:
    """The live tokens of ``user_id``, newest first."""
    query = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id, live_token())
    return list(await session.scalars(query.order_by(ApiTokenRow.id.desc())))


async def sessions_of(
    session: AsyncSession, user_id: int, idle: timedelta
) -> list[BrowserSessionRow]:
    """The live browser sessions of ``user_id``, most recently used first."""
    query = select(BrowserSessionRow).where(
        BrowserSessionRow.user_id == user_id, live_session(idle)
    )
    return list(await session.scalars(query.order_by(BrowserSessionRow.last_seen_at.desc())))


async def revoke(
    session: AsyncSession, table: SignInTable, user_id: int, row_id: int | None = None
) -> int:
    """Revoke the token or session ``row_id`` of ``user_id`` (every one when ``None``); return
    how many were still unrevoked. Another user's id revokes nothing."""
    query = update(table).where(table.user_id == user_id, table.revoked_at.is_(None))
    if row_id is not None:
        query = query.where(table.id == row_id)
    result = await session.execute(query.values(revoked_at=func.now()))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def revoke_everything(
    session: AsyncSession, user_id: int, keep_session: int | None = None
) -> None:
    """End every session and token of ``user_id`` (new password, disabled user), but for the
    browser session ``keep_session`` (the one that changed the password) if given."""
    await revoke(session, ApiTokenRow, user_id)
    sessions = update(BrowserSessionRow).where(
        BrowserSessionRow.user_id == user_id,
        BrowserSessionRow.revoked_at.is_(None),
        BrowserSessionRow.id != (keep_session or 0),
    )
    await session.execute(sessions.values(revoked_at=func.now()))


def touch_due() -> ColumnElement[bool]:
    """Whether a session's last use is old enough to be written again (``TOUCH_EVERY``)."""
    return BrowserSessionRow.last_seen_at < func.now() - TOUCH_EVERY


async def touch_session(session: AsyncSession, session_row_id: int) -> None:
    """Note that the session was used now (at most once per ``TOUCH_EVERY``)."""
    await session.execute(
        update(BrowserSessionRow)
        .where(BrowserSessionRow.id == session_row_id, touch_due())
        .values(last_seen_at=func.now())
    )
