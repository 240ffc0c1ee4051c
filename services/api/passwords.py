"""Passwords a user sets themself: a reset through a one-use mailed link (same answer whether
the address exists or not, throttled like sign-in), and a change while signed in (current
password required). A new password ends every other session and token of the user, and the
user gets a mail saying so."""

import asyncio
import math
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from fastapi import HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.account_links import issue_link, links_since, use_link
from services.api.accounts import set_password
from services.api.context import ApiContext
from services.api.credentials import password_matches
from services.api.ratelimit import account_key
from services.api.sign_in_guard import from_another_site, request_client
from services.notifier.notifications import AccountMail, send_account_mail
from shared.accounts import UserRow
from shared.settings import Settings

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1000
RESET_PAGE = "/wachtwoord-herstellen"
# Reset links one address gets per hour at most; more asks get the same answer and no mail.
LINKS_PER_HOUR = 3


class PasswordRefused(ValueError):  # noqa: N818 - reads as the answer it is
    """A new password that cannot be set; the message is Dutch and meant for the user."""


def check_new_password(password: str) -> str:
    """``password`` when it may be a new password; PasswordRefused (Dutch) otherwise."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise PasswordRefused(f"Kies een wachtwoord van minstens {MIN_PASSWORD_CHARS} tekens.")
    if len(password) > MAX_PASSWORD_CHARS:
        raise PasswordRefused(f"Een wachtwoord heeft hoogstens {MAX_PASSWORD_CHARS} tekens.")
    return password


def reset_url(token: str) -> str:
    """The full address of the reset page for ``token`` (``API_PUBLIC_URL``)."""
    return f"{Settings().api_public_url.rstrip('/')}{RESET_PAGE}?token={quote(token, safe='')}"


async def request_reset(
    request: Request, session: AsyncSession, context: ApiContext, email: str
) -> None:
    """Mail a reset link to ``email`` when it names an active user; the caller answers the same
    either way. 403 from another site's page; 429 (Retry-After) while this address or client
    asked too often, counted whether the address exists or not."""
    if from_another_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "password reset from another site's page")
    wait = await context.throttle.claim(
        account_key(f"reset:{email}"), request_client(request, context)
    )
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many password reset requests; try again later",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    user = await session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if user is None or user.disabled:
        return
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    if await links_since(session, user.id, "password_reset", hour_ago) >= LINKS_PER_HOUR:
        return
    minutes = context.settings.reset_link_minutes
    token = await issue_link(session, user.id, "password_reset", timedelta(minutes=minutes))
    mail = AccountMail(
        "password_reset", user.id, user.email, user.name, reset_url(token), valid_minutes=minutes
    )
    await send_account_mail(session, mail)


async def reset_password(session: AsyncSession, token: str, password: str) -> UserRow | None:
    """Set ``password`` through the reset link ``token`` (used up by it); ``None`` when the link
    is unknown, used or expired. PasswordRefused for a password too short or too long."""
    check_new_password(password)
    user = await use_link(session, token, "password_reset")
    if user is not None:
        await _new_password(session, user, password, None)
    return user


async def change_password(
    session: AsyncSession, user_id: int, current: str, new: str, keep_session: int | None
) -> None:
    """Change the signed-in user's password; PasswordRefused when ``current`` is wrong or ``new``
    may not be a password. Every session and token but ``keep_session`` ends."""
    check_new_password(new)
    user = await session.get(UserRow, user_id)
    if user is None:
        raise PasswordRefused("Onbekende gebruiker.")
    if not await asyncio.to_thread(password_matches, user.password_hash, current):
        raise PasswordRefused("Het huidige wachtwoord klopt niet.")
    await _new_password(session, user, new, keep_session)


async def _new_password(
    session: AsyncSession, user: UserRow, password: str, keep_session: int | None
) -> None:
    await set_password(session, user, password, keep_session)
    await send_account_mail(
        session, AccountMail("password_changed", user.id, user.email, user.name)
    )
