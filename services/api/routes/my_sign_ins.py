"""One's own sign-ins: ``/api/me/sessions`` (browser sessions) and ``/api/me/tokens`` (bearer
tokens), listed and ended one by one. Another user's id answers 404, as if it did not exist."""

from datetime import datetime

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import sign_ins
from services.api.deps import ContextDep, CurrentUser, RowId, SessionDep
from services.api.errors import ERROR_RESPONSES
from services.api.principal import Principal
from services.api.tables import ApiTokenRow, BrowserSessionRow

router = APIRouter(prefix="/api/me", tags=["session"], responses=ERROR_RESPONSES)


class SessionView(BaseModel):
    """A live browser session; ``current`` is the one of this request."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str
    client_address: str
    current: bool

    @classmethod
    def of(cls, row: BrowserSessionRow, principal: Principal) -> "SessionView":
        """The view of ``row`` for ``principal``."""
        return cls(
            id=row.id,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=row.expires_at,
            user_agent=row.user_agent,
            client_address=row.client_address,
            current=row.id == principal.session_id,
        )


class TokenView(BaseModel):
    """A live bearer token (never the token itself: only its hash is kept)."""

    id: int
    name: str
    created_at: datetime
    expires_at: datetime


async def end_own(
    session: AsyncSession, principal: Principal, table: sign_ins.SignInTable, row_id: int
) -> None:
    """Revoke one's own session or token ``row_id``; 404 when one has no such live one."""
    if not await sign_ins.revoke(session, table, principal.user_id, row_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such session or token of yours")


@router.get("/sessions")
async def my_sessions(
    session: SessionDep, context: ContextDep, principal: CurrentUser
) -> list[SessionView]:
    """One's live browser sessions, most recently used first."""
    rows = await sign_ins.sessions_of(session, principal.user_id, context.session_limits.idle)
    return [SessionView.of(row, principal) for row in rows]


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def end_session(session: SessionDep, principal: CurrentUser, session_id: RowId) -> None:
    """End one of one's browser sessions (its cookie no longer signs in)."""
    await end_own(session, principal, BrowserSessionRow, session_id)


@router.get("/tokens")
async def my_tokens(session: SessionDep, principal: CurrentUser) -> list[TokenView]:
    """One's live bearer tokens, newest first."""
    rows = await sign_ins.tokens_of(session, principal.user_id)
    return [TokenView.model_validate(row, from_attributes=True) for row in rows]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(session: SessionDep, principal: CurrentUser, token_id: RowId) -> None:
    """Revoke one of one's bearer tokens."""
    await end_own(session, principal, ApiTokenRow, token_id)
