"""The coordinator's review queue: each need with its candidates side by side, a teacher
internship and its replacement activity as one bundle, with the periods the review state keeps
and whether a suggestion waits too long (the caller's rule: the notifier's reminder delay)."""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.review import queries
from services.review.actors import Actor
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.calendar import days_of

CANDIDATES_SHOWN = 10
Window = tuple[date, date]
WaitsTooLong = Callable[[datetime], bool]  # of a suggestion made at that moment


@dataclass(frozen=True, slots=True)
class Candidate:
    """One suggestion of a need, with what the coordinator compares."""

    match: ReviewMatch
    offer: ReviewOffer
    late: bool
    offer_period: Window | None
    overlap_days: int | None


@dataclass(slots=True)
class NeedCard:
    """A need and its candidates; ``replacement`` is the bundled replacement activity."""

    need: ReviewNeed
    period: Window | None = None
    candidates: list[Candidate] = field(default_factory=list)
    replacement: "NeedCard | None" = None


def is_late(match: ReviewMatch, waits_too_long: WaitsTooLong) -> bool:
    """An open suggestion that has waited longer than ``waits_too_long`` allows."""
    return (
        match.status == "open"
        and match.suggested_at is not None
        and waits_too_long(match.suggested_at)
    )


def overlap(kind: str, a: Window | None, b: Window | None) -> int | None:
    """The days two windows share for a need of ``kind`` (both ends included; working days,
    for pupil placements outside the school holidays too), as the matcher's explanation counts
    them."""
    if a is None or b is None:
        return None
    return int(days_of(kind, max(a[0], b[0]), min(a[1], b[1])))


def period_of(posting: ReviewNeed | ReviewOffer) -> Window | None:
    """The posting's period, if the review state has been told it."""
    if posting.period_start is None or posting.period_end is None:
        return None
    return posting.period_start, posting.period_end


async def _card(
    session: AsyncSession, viewer: Actor, need_id: str, status: str | None, late: WaitsTooLong
) -> NeedCard | None:
    wanted = queries.MatchFilter(status=status, need_id=need_id)
    rows, _ = await queries.list_matches(session, viewer, wanted, 0, CANDIDATES_SHOWN)
    need = rows[0][1] if rows else await session.get(ReviewNeed, need_id)
    if need is None:
        return None
    card = NeedCard(need, period_of(need))
    card.candidates = [
        Candidate(
            m, o, is_late(m, late), period_of(o), overlap(need.kind, card.period, period_of(o))
        )
        for m, _, o in rows
    ]
    return card


async def need_cards(
    session: AsyncSession,
    viewer: Actor,
    wanted: queries.MatchFilter,
    rows_before: int,
    page_size: int,
    late: WaitsTooLong,
) -> tuple[list[NeedCard], int]:
    """The needs of one page of the filtered matches, in listing order, with their candidates
    of the same status; and the number of matching suggestions."""
    rows, total = await queries.list_matches(session, viewer, wanted, rows_before, page_size)
    order = list(dict.fromkeys(need.need_id for _, need, _ in rows))
    bundled = await queries.bundles(session, order)
    cards: list[NeedCard] = []
    for lead in dict.fromkeys(bundled.get(n, (n, ""))[0] for n in order):
        card = await _card(session, viewer, lead, wanted.status, late)
        if card is None:
            continue
        if lead in bundled:
            card.replacement = await _card(session, viewer, bundled[lead][1], wanted.status, late)
        cards.append(card)
    return cards, total


def fingerprint(cards: Sequence[NeedCard], total: int) -> str:
    """Changes when a suggestion appears, goes or changes status: the poller's version."""
    seen = sorted(
        f"{c.match.match_id}={c.match.status}"
        for card in cards
        for part in (card, card.replacement)
        if part is not None
        for c in part.candidates
    )
    return hashlib.sha256(f"{total}|{'|'.join(seen)}".encode()).hexdigest()[:16]
