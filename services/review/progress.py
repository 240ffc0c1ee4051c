"""How far accepted matches have taken a posting, in the words the pages use: a need is
``vervuld`` when every place it asked for is matched, an offer ``volzet`` when no day of its
period has a unit left, otherwise ``N van M plaatsen geboekt`` (for an offer lent in time, N is
its busiest day). Read from the review state for the postings' owners (the caller passes only
its own ids; a provider's offers with their timelines, ``services.review.own_offers``)."""

from dataclasses import dataclass

from services.review.bookings import Booking
from services.review.offer_bookings import busiest_day_use
from services.review.rotation_plans import ShownOffer
from services.review.tables import ReviewNeed
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


# What a need's progress is drawn from (``need_progress``), read beside its matches.
NEED_PROGRESS_COLUMNS = (ReviewNeed.quantity_met, ReviewNeed.quantity)


def need_progress(quantity_met: int, quantity: int) -> Progress:
    """The progress of a need with ``quantity_met`` of its ``quantity`` places matched."""
    return Progress("need", quantity_met, quantity)


def offer_progress(offer: ShownOffer, bookings: list[Booking]) -> Progress:
    """The progress of ``offer`` whose accepted matches hold ``bookings``: its busiest day's
    units (none booked in time: its ``capacity_used``) out of its capacity."""
    taken = busiest_day_use(bookings, offer.turnaround_days) if bookings else offer.capacity_used
    return Progress("offer", taken, offer.capacity, offer.capacity_used)
