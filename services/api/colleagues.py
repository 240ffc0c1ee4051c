"""Colleagues: a school's or provider's people. A member with the organisation-admin right
invites colleagues by a mailed one-use link, removes them, and gives or takes the right; every
member sees only its own organisation's people (another's id is "not found")."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.account_links import issue_link, use_link
from services.api.accounts import disable_user, set_password
from services.api.passwords import check_new_password
from services.api.principal import Principal
from services.notifier.notifications import AccountMail, send_account_mail
from shared import validation
from shared.accounts import UserRow
from shared.settings import Settings

ACCEPT_PAGE = "/uitnodiging"
INVITATION_MINUTES = 7 * 24 * 60
# An invited colleague's hash until the invitation is accepted: no password matches it.
NO_PASSWORD = "!"  # noqa: S105


class ColleagueRefused(ValueError):  # noqa: N818 - reads as the answer it is
    """A change to the colleagues that cannot be made; the message is Dutch."""


class ColleagueNotFound(LookupError):  # noqa: N818 - reads as the page's 404
    """No such colleague in the caller's organisation."""


@dataclass(frozen=True, slots=True)
class Colleague:
    """A member of one's organisation as the colleagues page shows it."""

    id: int
    name: str
    email: str
    organisation_admin: bool
    invited: bool


def _text(value: str) -> str:
    """``value`` trimmed; ColleagueRefused for control characters."""
    try:
        return validation.plain_text(value)
    except ValueError as wrong:
        raise ColleagueRefused("De tekst bevat onzichtbare stuurtekens.") from wrong


def _require_admin(principal: Principal) -> None:
    if principal.role not in ("school", "provider") or not principal.organisation_admin:
        raise ColleagueRefused("Alleen wie het beheerrecht van de organisatie heeft, kan dit.")


async def colleagues_of(session: AsyncSession, principal: Principal) -> list[Colleague]:
    """The people of ``principal``'s organisation: active ones and open invitations."""
    rows = await session.scalars(
        select(UserRow)
        .where(UserRow.organisation_id == principal.organisation_id)
        .order_by(UserRow.name, UserRow.id)
    )
    return [
        Colleague(u.id, u.name, u.email, u.organisation_admin, u.password_hash == NO_PASSWORD)
        for u in rows
        if not u.disabled or u.password_hash == NO_PASSWORD
    ]


def accept_url(token: str) -> str:
    """The full address of the invitation page for ``token``."""
    return f"{Settings().api_public_url.rstrip('/')}{ACCEPT_PAGE}?token={quote(token, safe='')}"


async def invite(session: AsyncSession, principal: Principal, email: str) -> None:
    """Invite ``email`` into ``principal``'s organisation (again, for an open invitation)."""
    _require_admin(principal)
    address = _text(email).lower()
    if "@" not in address[1:-1] or len(address) > 254:
        raise ColleagueRefused("Geef een geldig e-mailadres.")
    user = await session.scalar(select(UserRow).where(UserRow.email == address))
    if user is None:
        user = UserRow(
            email=address, name=address, role=principal.role, password_hash=NO_PASSWORD,
            organisation_id=principal.organisation_id, disabled=True,
        )  # fmt: skip
        session.add(user)
        await session.flush()
    elif user.organisation_id != principal.organisation_id or user.password_hash != NO_PASSWORD:
        raise ColleagueRefused("Dit e-mailadres kan niet uitgenodigd worden.")
    lifetime = timedelta(minutes=INVITATION_MINUTES)
    token = await issue_link(session, user.id, "invitation", lifetime)
    await send_account_mail(
        session,
        AccountMail(
            "invitation", user.id, user.email, principal.name, accept_url(token),
            valid_minutes=INVITATION_MINUTES, organisation=principal.organisation_name,
        ),
    )  # fmt: skip


async def accept(session: AsyncSession, token: str, name: str, password: str) -> UserRow | None:
    """Accept the invitation ``token`` with one's name and password (it may sign in from now
    on); ``None`` for a used, expired or unknown link. ColleagueRefused for a bad field."""
    name = _text(name)
    if not name:
        raise ColleagueRefused("Vul uw naam in.")
    check_new_password(password)
    user = await use_link(session, token, "invitation")
    if user is None:
        return None
    user.name, user.disabled = name[:120], False
    await set_password(session, user, password)
    return user


async def _colleague(session: AsyncSession, principal: Principal, user_id: int) -> UserRow:
    _require_admin(principal)
    user = await session.get(UserRow, user_id)
    if user is None or user.organisation_id != principal.organisation_id:
        raise ColleagueNotFound(f"no colleague {user_id}")
    if user.id == principal.user_id:
        raise ColleagueRefused("Uw eigen account en beheerrecht wijzigt u niet zelf.")
    return user


async def remove(session: AsyncSession, principal: Principal, user_id: int) -> None:
    """Remove a colleague: it can no longer sign in, every session and token of it ends."""
    user = await _colleague(session, principal, user_id)
    user.organisation_admin = False
    if user.password_hash == NO_PASSWORD:
        user.email = f"removed-{user.id}-{user.email}"[:254]  # frees the address for later
    await disable_user(session, user)


async def set_admin(session: AsyncSession, principal: Principal, user_id: int, admin: bool) -> None:
    """Give or take a colleague's organisation-admin right."""
    user = await _colleague(session, principal, user_id)
    user.organisation_admin = admin
