"""What stands before a password check: the sign-in must come from our own pages (or from no
page: scripts) and its (account, client) pair, client and account must not be waiting."""

import math
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.accounts import authenticate
from services.api.client_address import client_address
from services.api.context import ApiContext
from services.api.ratelimit import account_key
from shared.accounts import UserRow


def from_another_site(request: Request) -> bool:
    """Whether ``request`` was sent by another site's page (its ``Origin``, or lacking that its
    ``Referer``, names another host); a request naming no page is not."""
    page = request.headers.get("origin") or request.headers.get("referer")
    if page is None:
        return False
    return urlsplit(page).netloc.lower() != request.headers.get("host", "").lower()


def request_client(request: Request, context: ApiContext) -> str:
    """The client address of ``request``: its peer, or what trusted proxies forwarded."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.getlist("x-forwarded-for"), context.trusted_proxies)


async def checked_user(
    request: Request, session: AsyncSession, context: ApiContext, email: str, password: str
) -> UserRow:
    """The user ``email`` and ``password`` name; 403 from another site, 429 with Retry-After
    while the throttle makes this sign-in wait, 401 for any mismatch."""
    if from_another_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "sign-in from another site's page")
    account, client = account_key(email), request_client(request, context)
    wait = await context.throttle.claim(account, client)
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many failed sign-ins; try again later",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    user = await authenticate(session, email, password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong e-mail address or password")
    await context.throttle.succeeded(session, account, client)
    return user
