"""Account use cases: organisations and users (the CLI, /beheer), passwords, disabling a user."""

import asyncio
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.credentials import hash_password, password_matches
from services.api.sign_ins import revoke_everything
from shared.accounts import ORGANISATION_KIND, OrganisationRow, Role, UserRow


class AccountError(ValueError):
    """A request the accounts cannot satisfy (unknown user, conflicting role, ...)."""


@dataclass(frozen=True, slots=True)
class OrganisationRef:
    """Which organisation a user belongs to: by number (school, provider) or region (RTC)."""

    number: str | None = None
    rtc_region: str | None = None
    name: str | None = None


async def ensure_organisation(
    session: AsyncSession, role: Role, ref: OrganisationRef, name_required: bool = False
) -> OrganisationRow:
    """The organisation of a ``role`` user, created when missing (a new school or provider
    without a name is an AccountError when ``name_required``). An existing one keeps its name,
    unless that was only its number: then a name given replaces it."""
    kind = ORGANISATION_KIND[role]
    query = select(OrganisationRow).where(OrganisationRow.kind == kind)
    if kind == "rtc":
        query = query.where(OrganisationRow.rtc_region == ref.rtc_region)
    elif kind != "admin":
        query = query.where(OrganisationRow.number == ref.number)
    found = (await session.scalars(query.order_by(OrganisationRow.id).limit(1))).first()
    if found is not None:
        if ref.name and found.name == found.number:  # named by its number until now
            found.name = ref.name
        return found
    if name_required and kind in ("school", "provider") and not ref.name:
        raise AccountError("Geef de naam van de organisatie.")
    default_name = {"rtc": f"RTC {ref.rtc_region}", "admin": "Schakel"}.get(kind, ref.number)
    organisation = OrganisationRow(
        kind=kind, number=ref.number, rtc_region=ref.rtc_region, name=ref.name or default_name
    )
    session.add(organisation)
    await session.flush()
    return organisation


async def save_user(
    session: AsyncSession,
    role: Role,
    organisation: OrganisationRow,
    email: str,
    password: str,
    name: str | None = None,
) -> UserRow:
    """Create the user, or set the password (and name) of the one with this e-mail address. The
    first user of a school or provider gets its organisation-admin right (invites colleagues)."""
    email = email.strip().lower()
    user = await session.scalar(select(UserRow).where(UserRow.email == email))
    if user is None:
        user = UserRow(email=email, role=role, organisation_id=organisation.id, name="")
        user.organisation_admin = role in ("school", "provider") and not await _has_admin(
            session, organisation.id
        )
        session.add(user)
    elif (user.role, user.organisation_id) != (role, organisation.id):
        raise AccountError(
            f"{email} exists with role {user.role} in another organisation "
            "(bestaat al met een andere rol of organisatie)"
        )
    user.name = name or user.name or email
    await set_password(session, user, password)
    return user


async def _has_admin(session: AsyncSession, organisation_id: int) -> bool:
    """Whether someone of the organisation has its organisation-admin right."""
    found = await session.scalar(
        select(UserRow.id)
        .where(UserRow.organisation_id == organisation_id, UserRow.organisation_admin)
        .limit(1)
    )
    return found is not None


async def set_password(
    session: AsyncSession, user: UserRow, password: str, keep_session: int | None = None
) -> None:
    """Give ``user`` a new password; every session and token it had ends (whoever knew the old
    password may have signed in with it), but for the browser session ``keep_session`` that
    changed it, if given."""
    user.password_hash = await asyncio.to_thread(hash_password, password)
    await session.flush()
    await revoke_everything(session, user.id, keep_session)


async def disable_user(session: AsyncSession, user: UserRow) -> None:
    """Disable ``user``: it can no longer sign in, and every session and token it had ends."""
    user.disabled = True
    await revoke_everything(session, user.id)


async def user_by_email(session: AsyncSession, email: str) -> UserRow:
    """The user with ``email``; AccountError when there is none."""
    user = await session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if user is None:
        raise AccountError(f"no user {email}")
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> UserRow | None:
    """The active user with this e-mail and password; ``None`` for any mismatch, in about the
    same time whether the address is unknown, the user disabled or the password wrong."""
    user = await session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    # argon2 takes tens of milliseconds of CPU: off the event loop.
    matches = await asyncio.to_thread(
        password_matches, user.password_hash if user else None, password
    )
    return user if user is not None and matches and not user.disabled else None
