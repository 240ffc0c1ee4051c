"""What the admin page lists: organisations with their users, coordinators per region (the
webhook endpoints come from ``services.notifier.endpoints``). Read only."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.accounts import OrganisationRow, UserRow


@dataclass(frozen=True, slots=True)
class OrganisationLine:
    """An organisation and how many users it has."""

    organisation: OrganisationRow
    users: int


async def organisations(
    session: AsyncSession, limit: int, status: str | None = None
) -> list[OrganisationLine]:
    """Organisations by kind and name, with their user counts; only those of ``status``
    (pending, approved, refused) when given."""
    users = func.count(UserRow.id)
    query = select(OrganisationRow, users).outerjoin(
        UserRow, UserRow.organisation_id == OrganisationRow.id
    )
    if status is not None:
        query = query.where(OrganisationRow.status == status)
    rows = await session.execute(
        query.group_by(OrganisationRow.id)
        .order_by(OrganisationRow.kind, OrganisationRow.name)
        .limit(limit)
    )
    return [OrganisationLine(o, n) for o, n in rows.tuples()]


async def users(session: AsyncSession, limit: int) -> list[tuple[UserRow, OrganisationRow]]:
    """Users with their organisation, newest first."""
    rows = await session.execute(
        select(UserRow, OrganisationRow)
        .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
        .order_by(UserRow.created_at.desc(), UserRow.id.desc())
        .limit(limit)
    )
    return [(u, o) for u, o in rows.tuples()]


async def coordinators_by_region(session: AsyncSession) -> dict[str, list[UserRow]]:
    """The active coordinators of each RTC region."""
    rows = await session.execute(
        select(OrganisationRow.rtc_region, UserRow)
        .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
        .where(UserRow.role == "coordinator", UserRow.disabled.is_(False))
        .order_by(OrganisationRow.rtc_region, UserRow.name)
    )
    found: dict[str, list[UserRow]] = {}
    for region, user in rows.tuples():
        found.setdefault(region or "", []).append(user)
    return found
