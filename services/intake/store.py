"""The postings a batch touches, read and saved through ``rows``: one statement reads their
rows, their waiting withdrawals and their owners' names, one a side writes the rows changed."""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.intake import rows
from services.intake.locks import lock_postings
from services.intake.ordering import Moments, RecordTimes
from services.intake.rows import Change, Stock, Stored
from services.intake.tombstones import TombstoneBook
from shared.accounts import OrganisationKind
from shared.contracts import CLOSED_STATUSES, NeedRegistered, OfferRegistered, Side, is_open
from shared.contracts.submitted import replacement_need_id


class PostingBook:
    """The stored needs and offers one transaction reads and changes, their tombstones, and the
    registered names of the organisations its submissions name."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._stored: dict[Side, Stock] = {"need": {}, "offer": {}}
        self._changed: dict[tuple[Side, str], Change] = {}
        # The owners whose postings' version moves: of the postings changed (and before).
        self._owners: dict[Side, set[str]] = {"need": set(), "offer": set()}
        self.tombstones = TombstoneBook(session)
        self.names: dict[tuple[OrganisationKind, str], str] = {}

    async def load(
        self,
        need_ids: Iterable[str],
        offer_ids: Iterable[str],
        organisations: Iterable[tuple[OrganisationKind, str]] = (),
    ) -> None:
        """Lock and cache the rows and tombstones of these postings (and of the needs'
        replacement needs), and the registered names of these ``(kind, number)``
        organisations (``names``)."""
        wanted_needs = {
            id_ for need_id in need_ids for id_ in (need_id, replacement_need_id(need_id))
        }
        wanted_offers = set(offer_ids)
        if not wanted_needs and not wanted_offers:
            return
        await lock_postings(
            self._session,
            [f"need:{i}" for i in wanted_needs] + [f"offer:{i}" for i in wanted_offers],
        )
        connection = await self._session.connection()
        read = await rows.read_batch(connection, wanted_needs, wanted_offers, organisations)
        self._stored["need"].update(read.needs)
        self._stored["offer"].update(read.offers)
        for tombstone in read.tombstones:
            self.tombstones.keep(tombstone)
        self.names.update(read.names)

    async def load_expired(self, today: date, limit: int) -> None:
        """Lock and cache open postings whose period ended before ``today``."""
        connection = await self._session.connection()
        for side, stock in self._stored.items():
            stock.update(await rows.read_expired(connection, side, today, limit))

    def needs(self) -> list[NeedRegistered]:
        """Every cached need."""
        stock = self._stored["need"].values()
        return [NeedRegistered.model_validate_json(need.registered) for need in stock]

    def offers(self) -> list[OfferRegistered]:
        """Every cached offer."""
        stock = self._stored["offer"].values()
        return [OfferRegistered.model_validate_json(offer.registered) for offer in stock]

    def knows(self, side: Side, posting_id: str) -> bool:
        """Whether the posting is stored (or was created in this transaction)."""
        return posting_id in self._stored[side]

    def times(self, side: Side, posting_id: str) -> RecordTimes | None:
        """When the events the stored posting holds were produced (None: not stored)."""
        stored = self._stored[side].get(posting_id)
        return None if stored is None else stored.times

    def need(self, need_id: str) -> NeedRegistered | None:
        """The stored need, if any."""
        stored = self._stored["need"].get(need_id)
        return None if stored is None else NeedRegistered.model_validate_json(stored.registered)

    def offer(self, offer_id: str) -> OfferRegistered | None:
        """The stored offer, if any."""
        stored = self._stored["offer"].get(offer_id)
        return None if stored is None else OfferRegistered.model_validate_json(stored.registered)

    def save_need(self, need: NeedRegistered, now: datetime, moments: Moments) -> None:
        """Insert or update the row of ``need`` with the record times of the change."""
        self._save(need, now, moments)

    def save_offer(self, offer: OfferRegistered, now: datetime, moments: Moments) -> None:
        """Insert or update the row of ``offer`` with the record times of the change."""
        self._save(offer, now, moments)

    async def write(self) -> None:
        """Write the rows changed (one statement a side), then the tombstones."""
        connection = await self._session.connection()
        for side in self._stored:
            changes = [change for (of, _), change in self._changed.items() if of == side]
            await rows.save(connection, side, changes, self._owners[side])
        self._changed.clear()
        await self.tombstones.write()

    def _save(
        self, posting: NeedRegistered | OfferRegistered, now: datetime, moments: Moments
    ) -> None:
        side, posting_id = posting.side, posting.posting_id
        before = self._stored[side].get(posting_id)
        self._touch(side, None if before is None else before.owner_number, posting.owner_number)
        times = _stamped(before, posting.status, moments)
        row = Stored(posting.owner_number, posting.status, posting.model_dump_json(), times)
        self._stored[side][posting_id] = row
        self._changed[side, posting_id] = Change(posting, row, now)

    def _touch(self, side: Side, before: str | None, owner: str) -> None:
        """Move the version of the owner's postings (``shared.own_versions``), of the one
        before too should the posting change hands."""
        self._owners[side].update((owner, before or owner))


def _stamped(before: Stored | None, status: str, moments: Moments) -> RecordTimes:
    """The record times after a change: of the content stored, and of the closing when the
    posting closes (a new posting: first submitted now)."""
    if before is None:
        first, content, closed, was = moments.submitted, None, None, None
    else:
        times, was = before.times, before.status
        first, content, closed = times.first_submitted, times.content, times.closed
    if moments.submitted is not None:
        content = moments.submitted
    if is_open(status):
        closed = None
    elif was not in CLOSED_STATUSES:  # a new posting (no status yet) or an open one closes
        closed = moments.closed
    return RecordTimes(first, content, closed)
