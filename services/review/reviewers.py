"""The reviewer an outside decision names: decisions published on Kafka by other systems are
taken as the active coordinator or admin whose e-mail address is their ``decided_by``, under the
same region scope as the web API (``services.review.actors``)."""

from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.rules import DecisionRefused
from shared.accounts import OrganisationRow, Role, UserRow


async def reviewer_named(session: AsyncSession, decided_by: str) -> Actor:
    """The reviewer an outside decision names in ``decided_by`` (an active user's e-mail
    address); raise ``DecisionRefused`` unless that user is a coordinator or the admin."""
    found = (
        await session.execute(
            select(UserRow.role, OrganisationRow.rtc_region)
            .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
            .where(UserRow.email == decided_by.strip().lower(), UserRow.disabled.is_(False))
        )
    ).first()
    # The role is one of ``Role``: the users table's constraint checks it.
    reviewer = (
        None if found is None else Actor(cast(Role, found.role), decided_by, None, found.rtc_region)
    )
    if reviewer is None or not reviewer.reviews:
        raise DecisionRefused(
            "not_a_reviewer",
            f"decided_by {decided_by!r} is not an active coordinator or admin of Schakel",
        )
    return reviewer
