"""Loads and saves the postings a batch touches, with one query per table."""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.locks import lock_postings
from services.intake.ordering import Moments, RecordTimes
from services.intake.tables import NeedRow, OfferRow
from services.intake.tombstones import TombstoneBook
from shared import own_versions
from shared.contracts import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    NeedRegistered,
    OfferRegistered,
    Side,
    is_open,
)
from shared.contracts.submitted import replacement_need_id


class PostingBook:
    """The stored needs and offers one transaction reads and changes, and their tombstones."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._needs: dict[str, NeedRow] = {}
        self._offers: dict[str, OfferRow] = {}
        self.tombstones = TombstoneBook(session)

    async def load(self, need_ids: Iterable[str], offer_ids: Iterable[str]) -> None:
        """Lock and cache the rows and tombstones of these postings (and of the needs'
        replacement needs)."""
        wanted_needs = {
            id_ for need_id in need_ids for id_ in (need_id, replacement_need_id(need_id))
        }
        wanted_offers = set(offer_ids)
        await lock_postings(
            self._session,
            [f"need:{i}" for i in wanted_needs] + [f"offer:{i}" for i in wanted_offers],
        )
        await self.tombstones.load(
            [("need", i) for i in wanted_needs] + [("offer", i) for i in wanted_offers]
        )
        if wanted_needs:
            needs = select(NeedRow).where(NeedRow.need_id.in_(wanted_needs)).with_for_update()
            self._needs.update((row.need_id, row) for row in await self._session.scalars(needs))
        if wanted_offers:
            offers = select(OfferRow).where(OfferRow.offer_id.in_(wanted_offers)).with_for_update()
            self._offers.update((row.offer_id, row) for row in await self._session.scalars(offers))

    async def load_expired(self, today: date, limit: int) -> None:
        """Lock and cache open postings whose period ended before ``today``."""
        expired_needs = (
            select(NeedRow)
            .where(NeedRow.status.in_(OPEN_STATUSES), NeedRow.period_end < today)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        self._needs.update((row.need_id, row) for row in await self._session.scalars(expired_needs))
        expired_offers = (
            select(OfferRow)
            .where(OfferRow.status.in_(OPEN_STATUSES), OfferRow.period_end < today)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        self._offers.update(
            (offer.offer_id, offer) for offer in await self._session.scalars(expired_offers)
        )

    def needs(self) -> list[NeedRegistered]:
        """Every cached need."""
        return [NeedRegistered.model_validate(row.registered) for row in self._needs.values()]

    def offers(self) -> list[OfferRegistered]:
        """Every cached offer."""
        return [OfferRegistered.model_validate(row.registered) for row in self._offers.values()]

    def knows(self, side: Side, posting_id: str) -> bool:
        """Whether the posting is stored (or was created in this transaction)."""
        return posting_id in (self._needs if side == "need" else self._offers)

    def times(self, side: Side, posting_id: str) -> RecordTimes | None:
        """When the events the stored posting holds were produced (None: not stored)."""
        row = (self._needs if side == "need" else self._offers).get(posting_id)
        if row is None:
            return None
        return RecordTimes(row.first_submitted_at, row.content_produced_at, row.closed_produced_at)

    def need(self, need_id: str) -> NeedRegistered | None:
        """The stored need, if any."""
        row = self._needs.get(need_id)
        return None if row is None else NeedRegistered.model_validate(row.registered)

    def offer(self, offer_id: str) -> OfferRegistered | None:
        """The stored offer, if any."""
        row = self._offers.get(offer_id)
        return None if row is None else OfferRegistered.model_validate(row.registered)

    def save_need(self, need: NeedRegistered, now: datetime, moments: Moments) -> None:
        """Insert or update the row of ``need`` with the record times of the change."""
        row = self._needs.get(need.need_id)
        if row is None:
            row = NeedRow(need_id=need.need_id, first_submitted_at=moments.submitted)
            self._needs[need.need_id] = row
            self._session.add(row)
        self._touch("need", row.institution_number, need.owner_number)
        row.institution_number = need.owner_number
        row.linked_need_id = need.linked_need_id
        _fill(row, need, now, moments)

    def save_offer(self, offer: OfferRegistered, now: datetime, moments: Moments) -> None:
        """Insert or update the row of ``offer`` with the record times of the change."""
        row = self._offers.get(offer.offer_id)
        if row is None:
            row = OfferRow(offer_id=offer.offer_id, first_submitted_at=moments.submitted)
            self._offers[offer.offer_id] = row
            self._session.add(row)
        self._touch("offer", row.enterprise_number, offer.owner_number)
        row.enterprise_number = offer.owner_number
        _fill(row, offer, now, moments)

    def _touch(self, side: Side, before: str | None, owner: str) -> None:
        """Move the version of the owner's postings (``shared.own_versions``), of the one
        before too should the posting change hands."""
        for number in {owner, before or owner}:
            own_versions.touch(self._session.sync_session, side, number)


def _fill(
    row: NeedRow | OfferRow,
    posting: NeedRegistered | OfferRegistered,
    now: datetime,
    moments: Moments,
) -> None:
    _stamp(row, posting.status, moments)
    row.version = posting.version
    row.status = posting.status
    row.kind = posting.kind
    row.field = posting.field
    row.rtc_region = posting.place.rtc_region
    row.period_start = posting.period.start
    row.period_end = posting.period.end
    row.registered = posting.model_dump(mode="json")
    row.updated_at = now


def _stamp(row: NeedRow | OfferRow, status: str, moments: Moments) -> None:
    """Keep the record times: of the content stored, and of the closing when the row closes."""
    if moments.submitted is not None:
        row.content_produced_at = moments.submitted
    if is_open(status):
        row.closed_produced_at = None
    elif row.status not in CLOSED_STATUSES:  # a new row (no status yet) or an open one closes
        row.closed_produced_at = moments.closed
