"""One-use links mailed to a user (a password reset, the check of a new user's address): a
random token in the link, only its SHA-256 stored, valid until it expires or is used once."""

from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.credentials import new_token, token_hash
from services.api.tables import AccountLinkRow
from shared.accounts import UserRow

LinkPurpose = Literal["password_reset", "verify_email", "invitation"]
# A new organisation's first user, or an invited colleague, is disabled until the link is used.
FOR_DISABLED: frozenset[LinkPurpose] = frozenset({"verify_email", "invitation"})


async def issue_link(
    session: AsyncSession, user_id: int, purpose: LinkPurpose, lifetime: timedelta
) -> str:
    """A new link token of ``user_id`` for ``purpose``, valid for ``lifetime``; returned once."""
    token = new_token()
    session.add(
        AccountLinkRow(
            user_id=user_id,
            purpose=purpose,
            token_hash=token_hash(token),
            expires_at=datetime.now(UTC) + lifetime,
        )
    )
    await session.flush()
    return token


async def links_since(
    session: AsyncSession, user_id: int, purpose: LinkPurpose, since: datetime
) -> int:
    """How many ``purpose`` links ``user_id`` was sent since ``since``."""
    count = await session.scalar(
        select(func.count()).where(
            AccountLinkRow.user_id == user_id,
            AccountLinkRow.purpose == purpose,
            AccountLinkRow.created_at >= since,
        )
    )
    return int(count or 0)


def _usable(token: str, purpose: LinkPurpose) -> list[object]:
    return [
        AccountLinkRow.token_hash == token_hash(token),
        AccountLinkRow.purpose == purpose,
        AccountLinkRow.used_at.is_(None),
        AccountLinkRow.expires_at > func.now(),
    ]


async def link_owner(session: AsyncSession, token: str, purpose: LinkPurpose) -> UserRow | None:
    """The user of the usable ``purpose`` link ``token`` (active, unless it is an address
    check), without using it; ``None`` for an unknown, used or expired link."""
    user = await session.scalar(
        select(UserRow)
        .join(AccountLinkRow, AccountLinkRow.user_id == UserRow.id)
        .where(*_usable(token, purpose))  # type: ignore[arg-type]
    )
    return user if user is not None and _may_use(user, purpose) else None


def _may_use(user: UserRow, purpose: LinkPurpose) -> bool:
    return purpose in FOR_DISABLED or not user.disabled


async def use_link(session: AsyncSession, token: str, purpose: LinkPurpose) -> UserRow | None:
    """Use the ``purpose`` link ``token`` once: its user (as ``link_owner``), and every other
    unused link of the same purpose of that user ends too; ``None`` for an unknown, used or
    expired link (a second, concurrent use finds it used)."""
    used = await session.scalar(
        update(AccountLinkRow)
        .where(*_usable(token, purpose))  # type: ignore[arg-type]
        .values(used_at=func.now())
        .returning(AccountLinkRow.user_id)
    )
    if used is None:
        return None
    await session.execute(
        update(AccountLinkRow)
        .where(
            AccountLinkRow.user_id == used,
            AccountLinkRow.purpose == purpose,
            AccountLinkRow.used_at.is_(None),
        )
        .values(used_at=func.now())
    )
    user = await session.get(UserRow, used)
    return user if user is not None and _may_use(user, purpose) else None
