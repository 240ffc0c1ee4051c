"""How far accepted matches have taken a posting, in the words the pages use: a need is
``vervuld`` when every place it asked for is matched, an offer ``volzet`` when no day of its
period has a unit left, otherwise ``N van M plaatsen geboekt`` (for an offer lent in time, N is
its busiest day). Read from the review state for the postings' owners (the caller passes only
its own ids)."""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.offer_bookings import busiest_day_use
from services.review.tables import ReviewNeed, ReviewOffer
from shared.contracts import Side


@dataclass(frozen=True, slots=True)
class Progress:
    """Places taken by accepted matches out of the places a posting has."""

    side: Side
    taken: int
    places: int
    # An offer lent in time: the units in use on its freest day (None: as ``taken``).
    freest: int | None = None

    @property
    def full(self) -> bool:
        """Every place is taken: the need is met, the offer fully booked on every day."""
        return (self.taken if self.freest is None else self.freest) >= self.places

    @property
    def word(self) -> str:
        """``vervuld`` or ``volzet`` when full, empty otherwise (a status of its own)."""
        if not self.full:
            return ""
        return "vervuld" if self.side == "need" else "volzet"

    @property
    def label(self) -> str:
        """What a page says about it: the word when full, ``N van M plaatsen geboekt`` else."""
        places = "plaats" if self.places == 1 else "plaatsen"
        booked = f"{self.taken} van {self.places} {places} geboekt"
        if self.freest is not None and self.freest < self.taken:
            booked += " op de drukste dag"
        return self.word or booked


async def progress_of(
    session: AsyncSession, side: Side, posting_ids: Collection[str]
) -> dict[str, Progress]:
    """The progress of each of ``posting_ids`` the review state knows (others are left out)."""
    if not posting_ids:
        return {}
    if side == "need":
        needs = select(ReviewNeed.need_id, ReviewNeed.quantity_met, ReviewNeed.quantity)
        rows = await session.execute(needs.where(ReviewNeed.need_id.in_(posting_ids)))
        return {need_id: Progress(side, met, asked) for need_id, met, asked in rows}
    offers = list(
        await session.scalars(select(ReviewOffer).where(ReviewOffer.offer_id.in_(posting_ids)))
    )
    busiest = await busiest_day_use(session, offers)
    return {
        offer.offer_id: Progress(
            side,
            busiest.get(offer.offer_id, offer.capacity_used),
            offer.capacity,
            offer.capacity_used,
        )
        for offer in offers
    }
