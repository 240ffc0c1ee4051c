"""How far accepted matches have taken a posting, in the words the pages use: a need is
``vervuld`` when every place it asked for is matched, an offer ``volzet`` when its capacity is
used, otherwise ``N van M plaatsen geboekt``. Read from the review state for the postings'
owners (the caller passes only its own ids)."""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.tables import ReviewNeed, ReviewOffer
from shared.contracts import Side


@dataclass(frozen=True, slots=True)
class Progress:
    """Places taken by accepted matches out of the places a posting has."""

    side: Side
    taken: int
    places: int

    @property
    def full(self) -> bool:
        """Every place is taken: the need is met, the offer fully booked."""
        return self.taken >= self.places

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
        return self.word or f"{self.taken} van {self.places} {places} geboekt"


async def progress_of(
    session: AsyncSession, side: Side, posting_ids: Collection[str]
) -> dict[str, Progress]:
    """The progress of each of ``posting_ids`` the review state knows (others are left out)."""
    if not posting_ids:
        return {}
    if side == "need":
        needs = select(ReviewNeed.need_id, ReviewNeed.quantity_met, ReviewNeed.quantity)
        rows = await session.execute(needs.where(ReviewNeed.need_id.in_(posting_ids)))
    else:
        offers = select(ReviewOffer.offer_id, ReviewOffer.capacity_used, ReviewOffer.capacity)
        rows = await session.execute(offers.where(ReviewOffer.offer_id.in_(posting_ids)))
    return {posting_id: Progress(side, taken, places) for posting_id, taken, places in rows}
