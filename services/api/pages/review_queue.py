"""The coordinator's queue as the pages show it: each need with its candidates side by side,
a teacher internship and its replacement activity as one bundle. Read through
``services.review.queries`` only; periods come from intake's stored postings (read only)."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.pagination import PageRequest
from services.intake.tables import NeedRow, OfferRow
from services.review import queries
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.calendar import is_reminder_due, working_days

CANDIDATES_SHOWN = 10
Window = tuple[date, date]


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


def is_late(match: ReviewMatch, working_days: int, now: datetime) -> bool:
    """An open suggestion older than the reminder delay (the notifier's working-day rule)."""
    return match.status == "open" and is_reminder_due(match.suggested_at, working_days, now)


def overlap(a: Window | None, b: Window | None) -> int | None:
    """Working days two windows share (both ends included), as the matcher's explanation
    counts them."""
    if a is None or b is None:
        return None
    return int(working_days(max(a[0], b[0]), min(a[1], b[1])))


async def _windows(
    session: AsyncSession, needs: Sequence[str], offers: Sequence[str]
) -> tuple[dict[str, Window], dict[str, Window]]:
    need_rows = await session.execute(
        select(NeedRow.need_id, NeedRow.period_start, NeedRow.period_end).where(
            NeedRow.need_id.in_(needs)
        )
    )
    offer_rows = await session.execute(
        select(OfferRow.offer_id, OfferRow.period_start, OfferRow.period_end).where(
            OfferRow.offer_id.in_(offers)
        )
    )
    return (
        {n: (s, e) for n, s, e in need_rows.tuples()},
        {o: (s, e) for o, s, e in offer_rows.tuples()},
    )


async def _card(
    session: AsyncSession, viewer: queries.Viewer, need_id: str, status: str | None
) -> NeedCard | None:
    wanted = queries.MatchFilter(status=status, need_id=need_id)
    rows, _ = await queries.list_matches(session, viewer, wanted, 0, CANDIDATES_SHOWN)
    need = rows[0][1] if rows else await session.get(ReviewNeed, need_id)
    if need is None:
        return None
    card = NeedCard(need)
    card.candidates = [Candidate(m, o, False, None, None) for m, _, o in rows]
    return card


async def need_cards(
    session: AsyncSession,
    viewer: queries.Viewer,
    wanted: queries.MatchFilter,
    page: PageRequest,
    working_days: int,
) -> tuple[list[NeedCard], int]:
    """The needs of one page of the filtered matches, in listing order, with their candidates
    of the same status; and the number of matching suggestions."""
    rows, total = await queries.list_matches(session, viewer, wanted, page.offset, page.page_size)
    order = list(dict.fromkeys(need.need_id for _, need, _ in rows))
    bundled = await queries.bundles(session, order)
    leads = list(dict.fromkeys(bundled.get(n, (n, ""))[0] for n in order))
    cards: list[NeedCard] = []
    for lead in leads:
        card = await _card(session, viewer, lead, wanted.status)
        if card is None:
            continue
        if lead in bundled:
            card.replacement = await _card(session, viewer, bundled[lead][1], wanted.status)
        cards.append(card)
    await _add_periods(session, cards, working_days)
    return cards, total


async def _add_periods(session: AsyncSession, cards: list[NeedCard], working_days: int) -> None:
    every = [c for card in cards for c in (card, card.replacement) if c is not None]
    needs, offers = await _windows(
        session,
        [card.need.need_id for card in every],
        [candidate.offer.offer_id for card in every for candidate in card.candidates],
    )
    now = datetime.now(UTC)
    for card in every:
        card.period = needs.get(card.need.need_id)
        card.candidates = [
            Candidate(
                c.match,
                c.offer,
                is_late(c.match, working_days, now),
                offers.get(c.offer.offer_id),
                overlap(card.period, offers.get(c.offer.offer_id)),
            )
            for c in card.candidates
        ]


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
