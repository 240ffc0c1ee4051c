"""Who coordinates each RTC region, read from the accounts, and a per-region cache of it."""

import time
from collections.abc import Callable, Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.routing import Coordinator
from shared.accounts import OrganisationRow, UserRow
from shared.mail_choices import choices_by_email


async def coordinators_in(
    session: AsyncSession, rtc_regions: Collection[str]
) -> dict[str, list[Coordinator]]:
    """The coordinators (users of the region's RTC who may sign in) of each region, one query."""
    return await _read(session, rtc_regions)


async def every_coordinator(session: AsyncSession) -> dict[str, list[Coordinator]]:
    """The coordinators of every region that has any, one query."""
    return await _read(session, None)


async def _read(
    session: AsyncSession, rtc_regions: Collection[str] | None
) -> dict[str, list[Coordinator]]:
    """The coordinators of each of ``rtc_regions`` (None: of every region that has any)."""
    regions = OrganisationRow.rtc_region.is_not(None)
    if rtc_regions is not None:
        regions = OrganisationRow.rtc_region.in_(rtc_regions)
    rows = await session.execute(
        select(UserRow, OrganisationRow.rtc_region)
        .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
        .where(UserRow.role == "coordinator", ~UserRow.disabled, regions)
        .order_by(UserRow.id)
    )
    found = rows.tuples().all()
    choices = await choices_by_email(session, [user.email for user, _ in found])
    by_region: dict[str, list[Coordinator]] = {region: [] for region in rtc_regions or ()}
    for user, region in found:
        by_region.setdefault(str(region), []).append(
            Coordinator(user.id, str(region), user.name, user.email, choices.get(user.email, {}))
        )
    return by_region


async def coordinators_of(session: AsyncSession, rtc_region: str) -> list[Coordinator]:
    """The coordinators of one RTC region."""
    return (await coordinators_in(session, [rtc_region]))[rtc_region]


class CoordinatorCache:
    """The coordinators of each region, read again once the region's entry is ``ttl_seconds``
    old.

    Coordinators are added, disabled or change their address or mail choices in the web API,
    another process that cannot tell this one; so entries simply expire: such a change reaches
    the suggestions of a region at most ``ttl_seconds`` later (0: read for every batch). All
    expired regions a batch needs are read in one query.
    """

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, tuple[float, list[Coordinator]]] = {}

    async def of_regions(
        self, session: AsyncSession, rtc_regions: Collection[str]
    ) -> dict[str, list[Coordinator]]:
        """The coordinators of each of ``rtc_regions``, from the cache where still fresh."""
        now = self._clock()
        expired = [r for r in rtc_regions if r not in self._entries or self._entries[r][0] <= now]
        if expired:
            for region, coordinators in (await coordinators_in(session, expired)).items():
                self._entries[region] = (now + self._ttl, coordinators)
        return {region: self._entries[region][1] for region in rtc_regions}
