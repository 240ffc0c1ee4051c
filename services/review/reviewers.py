"""Who may decide where: a coordinator in its own RTC region, the admin in every region, nobody
else. The web API's scope and decisions published on Kafka by other systems both go through
``reviewer_as``; ``decisions.lock`` then refuses a match outside the reviewer's region."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.decisions import Reviewer
from services.review.rules import DecisionRefused
from shared.accounts import OrganisationRow, UserRow


def reviewer_as(email: str, role: str, rtc_region: str | None) -> Reviewer | None:
    """The reviewer a user of ``role`` (of the RTC of ``rtc_region``) decides as; None for a
    role that does not decide."""
    if role == "admin":
        return Reviewer(email, None)
    if role == "coordinator" and rtc_region is not None:
        return Reviewer(email, rtc_region)
    return None


async def reviewer_named(session: AsyncSession, decided_by: str) -> Reviewer:
    """The reviewer an outside decision names in ``decided_by`` (an active user's e-mail
    address); raise ``DecisionRefused`` unless that user is a coordinator or the admin."""
    found = (
        await session.execute(
            select(UserRow.role, OrganisationRow.rtc_region)
            .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
            .where(UserRow.email == decided_by.strip().lower(), UserRow.disabled.is_(False))
        )
    ).first()
    reviewer = None if found is None else reviewer_as(decided_by, found.role, found.rtc_region)
    if reviewer is None:
        raise DecisionRefused(
            "not_a_reviewer",
            f"decided_by {decided_by!r} is not an active coordinator or admin of Schakel",
        )
    return reviewer
