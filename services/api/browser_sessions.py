"""A browser's session: checking the credentials (same-site, throttled), starting the
server-side session with its cookie, and ending it. ``/api/session`` and the sign-in page both
go through here."""

from typing import Annotated

from fastapi import Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.context import ApiContext
from services.api.credentials import SESSION_COOKIE, token_hash
from services.api.errors import PRINTABLE
from services.api.principal import Principal, principal_of_session
from services.api.sign_in_guard import checked_user, request_client
from services.api.sign_ins import Client, revoke, start_session
from services.api.tables import BrowserSessionRow


class Credentials(BaseModel):
    """E-mail address and password, as JSON or as a form."""

    email: Annotated[str, Field(min_length=1, max_length=254, pattern=PRINTABLE)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


def _client_of(request: Request, context: ApiContext) -> Client:
    return Client(request.headers.get("user-agent", ""), request_client(request, context))


async def open_session(
    request: Request,
    response: Response,
    session: AsyncSession,
    context: ApiContext,
    credentials: Credentials,
) -> Principal:
    """Check the credentials (same-site, throttled), start a session and set its cookie on
    ``response``; raise 403, 429 or 401 (``sign_in_guard``)."""
    user = await checked_user(request, session, context, credentials.email, credentials.password)
    limits = context.session_limits
    session_id, _ = await start_session(session, user.id, limits, _client_of(request, context))
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=context.settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=context.settings.cookie_secure,
    )
    idle = context.session_limits.idle
    principal = await principal_of_session(session, token_hash(session_id), idle)
    assert principal is not None
    return principal


async def close_session(
    response: Response, session: AsyncSession, context: ApiContext, principal: Principal | None
) -> None:
    """End ``principal``'s browser session on the server and clear its cookie on ``response``."""
    if principal is not None and principal.session_id is not None:
        await revoke(session, BrowserSessionRow, principal.user_id, principal.session_id)
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=context.settings.cookie_secure
    )
