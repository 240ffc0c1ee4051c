"""The coordinator's review queue: each need with its candidates side by side, a teacher
internship and its replacement activity as one bundle, with the periods the review state keeps
and whether a suggestion waits too long (the caller's rule: the notifier's reminder delay)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.review import bookings, card_rows, queries
from services.review.actors import Actor
from services.review.bookings import Stretch
from services.review.offer_bookings import free_in
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.calendar import dutch_span

CANDIDATES_SHOWN = 10
Window = tuple[date, date]
WaitsTooLong = Callable[[datetime], bool]  # of a suggestion made at that moment
# A card's rows: entities, or rows of the columns a card shows (``services.review.card_rows``).
Match = ReviewMatch | Row[Any]
Need = ReviewNeed | Row[Any]
Offer = ReviewOffer | Row[Any]
Rows = Sequence[tuple[Match, Need, Offer]]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One suggestion of a need, with what the coordinator compares."""

    match: Match
    offer: Offer
    late: bool
    offer_period: Window | None
    # "Geboekt van … tot …" (accepted), "Vrij van … tot …" / "Volzet in deze periode" (an offer
    # others booked), or nothing (an offer nobody booked).
    availability: str = ""


@dataclass(slots=True)
class NeedCard:
    """A need and its candidates; ``replacement`` is the bundled replacement activity."""

    need: Need
    period: Window | None = None
    candidates: list[Candidate] = field(default_factory=list)
    replacement: "NeedCard | None" = None
    # Its accepted matches while the listing shows another status: revocable where they stand.
    accepted: list[Candidate] = field(default_factory=list)


def is_late(match: Match, waits_too_long: WaitsTooLong) -> bool:
    """An open suggestion that has waited longer than ``waits_too_long`` allows."""
    return (
        match.status == "open"
        and match.suggested_at is not None
        and waits_too_long(match.suggested_at)
    )


def period_of(posting: Need | Offer) -> Window | None:
    """The posting's period, if the review state has been told it."""
    if posting.period_start is None or posting.period_end is None:
        return None
    return posting.period_start, posting.period_end


def _candidates(
    period: Window | None,
    rows: Rows,
    late: WaitsTooLong,
    free: dict[str, list[Stretch]],
) -> list[Candidate]:
    return [
        Candidate(
            m, o, is_late(m, late), period_of(o), availability(m, period, free.get(o.offer_id))
        )
        for m, _, o in rows
    ]


def _card(
    need: Need,
    rows: Rows,
    late: WaitsTooLong,
    free: dict[str, list[Stretch]],
    accepted: Rows,
) -> NeedCard:
    period = period_of(need)
    return NeedCard(
        need,
        period,
        _candidates(period, rows, late, free),
        accepted=_candidates(period, accepted, late, free),
    )


def availability(match: Match, need_period: Window | None, free: list[Stretch] | None) -> str:
    """What the card says of the offer's days for this need: what an acceptance booked, or when
    an offer others booked is free in the need's period."""
    if match.status == "accepted" and match.booked_from and match.booked_until:
        return f"Geboekt {dutch_span(match.booked_from, match.booked_until)}"
    if free is None or need_period is None or match.status != "open":
        return ""
    asked = Stretch(*need_period)
    shared = [cut for stretch in free if (cut := bookings.overlap(stretch, asked))]
    return (
        f"Vrij {dutch_span(shared[0].first, shared[0].last)}"
        if shared
        else "Volzet in deze periode"
    )


async def _cards(
    session: AsyncSession,
    viewer: Actor,
    leads: list[str],
    bundled: dict[str, tuple[str, str]],
    status: str | None,
    late: WaitsTooLong,
) -> list[NeedCard]:
    """The cards of ``leads`` with their bundled replacements: one query (two when a need has
    no candidate of the status asked for), however many."""
    shown = [*leads, *(bundled[lead][1] for lead in leads if lead in bundled)]
    best, accepted = await card_rows.candidates(session, viewer, shown, status, CANDIDATES_SHOWN)
    needs: dict[str, Need] = {need_id: rows[0][1] for need_id, rows in best.items()}
    needs |= await card_rows.needs(session, set(shown) - set(needs))
    free = {
        offer.offer_id: stretches
        for rows in best.values()
        for _, _, offer in rows
        if (stretches := free_in(offer)) is not None
    }
    cards: list[NeedCard] = []
    for lead in leads:
        if lead not in needs:
            continue
        card = _card(needs[lead], best.get(lead, []), late, free, accepted.get(lead, []))
        replacement = bundled[lead][1] if lead in bundled else None
        if replacement in needs:
            card.replacement = _card(
                needs[replacement],
                best.get(replacement, []),
                late,
                free,
                accepted.get(replacement, []),
            )
        cards.append(card)
    return cards


async def need_cards(
    session: AsyncSession,
    viewer: Actor,
    wanted: queries.MatchFilter,
    rows_before: int,
    page_size: int,
    late: WaitsTooLong,
    exact_up_to: int = queries.EXACT_UP_TO,
) -> tuple[list[NeedCard], queries.Count]:
    """The needs of one page of the filtered matches, in listing order, with their best
    candidates of the same status; and the number of matching suggestions (exact up to
    ``exact_up_to``)."""
    listed, total = await queries.listed_needs(
        session, viewer, wanted, rows_before, page_size, exact_up_to
    )
    order = list(dict.fromkeys(need_id for need_id, _, _ in listed))
    bundled = queries.bundles(listed)
    leads = list(dict.fromkeys(bundled.get(n, (n, ""))[0] for n in order))
    return await _cards(session, viewer, leads, bundled, wanted.status, late), total
