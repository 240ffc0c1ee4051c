"""Dependencies every route builds on, as ``Annotated`` aliases.

``SessionDep`` is one transaction per request, committed before the answer is sent (so a 2xx
means the change and its outbox events are stored). ``CurrentUser`` authenticates a live bearer
token or the session cookie (a random id naming a live server-side session); a cookie-authenticated
unsafe request must carry the session's CSRF token (header ``X-CSRF-Token`` or form field
``csrf_token``). ``role_required(...)`` narrows the roles.
"""

import hmac
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request, status
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.context import ApiContext
from services.api.credentials import SESSION_COOKIE, token_hash
from services.api.principal import Principal, principal_of_session, principal_of_token
from services.api.sign_ins import touch_session
from shared.accounts import Role

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_TOUCH_DUE = "session_touch_due"  # ``request.state``: the browser session to touch after


def get_context(request: Request) -> ApiContext:
    """The API context the lifespan built."""
    context: ApiContext = request.app.state.context
    return context


async def _context(request: Request) -> ApiContext:
    """``get_context`` as a dependency: a coroutine (FastAPI runs a plain function's in a
    worker thread, a hand-over there and back on every request)."""
    return get_context(request)


ContextDep = Annotated[ApiContext, Depends(_context)]


async def transaction(request: Request, context: ContextDep) -> AsyncIterator[AsyncSession]:
    """A session in a transaction: committed when the route returns, rolled back if it raises.
    Then, once its connection is back in the pool, the browser session's last use is written
    if it was due (``_from_cookie``)."""
    try:
        async with context.sessions() as session, session.begin():
            yield session
    finally:
        due: int | None = getattr(request.state, _TOUCH_DUE, None)
        if due is not None:
            async with context.sessions.begin() as own:
                await touch_session(own, due)


SessionDep = Annotated[AsyncSession, Depends(transaction, scope="function")]


async def _csrf_token_sent(request: Request) -> str:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("multipart/form-data", "application/x-www-form-urlencoded")
    ):
        field = (await request.form()).get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    return sent or ""


async def _from_cookie(
    request: Request, session: AsyncSession, context: ApiContext
) -> Principal | None:
    """The browser session's user, read in the request's transaction (one connection, one
    statement; read on every request, so a sign-out, a disabled user or a changed role counts
    from the next one on). Its last use, when due, is written after the request's transaction
    (``transaction``): that one may last and must not hold the session's row, and a request
    never holds two connections (twenty at once on a pool of ten would wait for each other)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    principal = await principal_of_session(session, token_hash(cookie), context.session_limits.idle)
    if principal is None or principal.session_id is None or principal.csrf_token is None:
        return None
    if request.method not in SAFE_METHODS and not hmac.compare_digest(
        await _csrf_token_sent(request), principal.csrf_token
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "missing or wrong CSRF token")
    if principal.touch_due:  # a statement less on most requests
        setattr(request.state, _TOUCH_DUE, principal.session_id)
    return principal


async def optional_principal(
    request: Request, session: SessionDep, context: ContextDep
) -> Principal | None:
    """The caller, or ``None`` for an anonymous request. A bearer token that is not valid is a
    401, never a silent fall-back to anonymous."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        principal = await principal_of_token(session, token_hash(credentials.strip()))
        if principal is None:
            raise _unauthorised("unknown or revoked token")
        return principal
    return await _from_cookie(request, session, context)


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


OptionalUser = Annotated[Principal | None, Depends(optional_principal)]


async def current_principal(principal: OptionalUser) -> Principal:
    """The caller; 401 when not signed in."""
    if principal is None:
        raise _unauthorised("sign in or send a bearer token")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def role_required(*roles: Role) -> Any:
    """A dependency (``Annotated[Principal, role_required("school", "admin")]``) answering 403
    to callers of another role."""

    async def principal_with_role(principal: CurrentUser) -> Principal:
        if principal.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"this needs the role {' or '.join(roles)}"
            )
        return principal

    return Depends(principal_with_role)


SchoolUser = Annotated[Principal, role_required("school", "admin")]
ProviderUser = Annotated[Principal, role_required("provider", "admin")]
CoordinatorUser = Annotated[Principal, role_required("coordinator", "admin")]
AdminUser = Annotated[Principal, role_required("admin")]
# The id of one of one's sessions or tokens in a path (their tables' integer keys).
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
