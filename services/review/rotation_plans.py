"""An offer's rotation as its viewers see it: what its accepted matches booked, unit by unit, and
the plan (``services.review.rotation``) for its open suggestions. A coordinator sees the
requests and bookings of its region (the plan counts every booking of the offer, whatever the
region), the provider those of its own offers; any other offer is reported like one that does
not exist. Reading only: accepting a plan is ``services.review.rounds.accept_proposal``."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.bookings import Booking, Stretch, kept
from services.review.offer_bookings import bookings_of, common_period, window_of
from services.review.queries import listing
from services.review.remembered import remembered
from services.review.rotation import Placed, Request, plan, unit_rows, value
from services.review.rules import Asked, OfferInTime
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.calendar import days_counter
from shared.contracts import is_open
from shared.db import columns_of, one_of

TIMELINES_SHOWN = 20


class UnknownOffer(Exception):  # noqa: N818 - reads as the answer it is
    """No such offer for this viewer."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One booking on the timeline: a school's units (rows from 0) for a stretch of days, the
    turnaround after it; ``planned``: proposed by the plan, not yet accepted, else the
    ``step`` of its journey (``services.review.journey``); a cancelled one holds the days it
    kept."""

    match_id: str
    school_name: str
    need_title: str
    first: date
    last: date
    held_until: date
    units: int
    rows: tuple[int, ...]
    planned: bool = False
    score: float = 0.0
    step: str | None = None


@dataclass(frozen=True, slots=True)
class Timeline:
    """An offer's units (``capacity`` rows) over its period, with its bars."""

    offer_id: str
    offer_title: str
    provider_name: str
    capacity: int
    turnaround_days: int
    first: date
    last: date
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class RotationPlan:
    """The offer's timeline with the plan's bars, the plan in the order to accept it, and what
    it gives: needs served out of the open requests, total score."""

    timeline: Timeline
    planned: list[Bar]
    requests: int
    served: int
    score: float
    offer_open: bool
    proven: bool  # False: the best plan found in the solver's time, not proven optimal


Listed = tuple[ReviewMatch, ReviewNeed]


@dataclass(frozen=True, slots=True)
class Held:
    """What a bar shows of a match and its need (``title``: the need's), read as the columns of
    those names (``HELD_COLUMNS``): no entities to build, a provider's page reads hundreds of
    bookings."""

    match_id: str
    booked_from: date | None
    booked_until: date | None
    units: int
    cancelled_on: date | None
    score: float | None
    step: str | None
    school_name: str
    title: str


@dataclass(frozen=True, slots=True)
class ShownOffer:
    """What a timeline (and a provider's page) shows of an offer, read as ``OFFER_COLUMNS``."""

    offer_id: str
    title: str
    provider_name: str
    capacity: int
    capacity_used: int
    turnaround_days: int
    period_start: date | None
    period_end: date | None


HELD_COLUMNS = columns_of(Held, ReviewMatch, ReviewNeed)
OFFER_COLUMNS = columns_of(ShownOffer, ReviewOffer)


def held_of(match: ReviewMatch, need: ReviewNeed) -> Held:
    """What a bar of ``match`` shows."""
    row = (getattr(match if c.class_ is ReviewMatch else need, c.key) for c in HELD_COLUMNS)
    return Held(*row)


def still_held(match: Held) -> Booking | None:
    """What ``match`` booked and still holds (None: not booked in time, or cancelled before it
    began; a cancelled one holds the days before its cancellation)."""
    if match.booked_from is None or match.booked_until is None:
        return None
    return kept(Booking(match.booked_from, match.booked_until, match.units), match.cancelled_on)


def timeline_of(offer: ShownOffer, held: list[Held]) -> Timeline:
    """The timeline of ``offer`` with the bars of its bookings ``held`` (by first day)."""
    return _timeline(offer, _bars(offer, held, [], {}))


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What a plan is computed from, read in one transaction: the offer, the matches the viewer
    sees, the open requests and every booking of the offer."""

    offer: ReviewOffer
    listed: list[Listed]
    requests: list[Request]
    in_time: OfferInTime


async def plan_inputs(session: AsyncSession, viewer: Actor, offer_id: str) -> PlanInputs:
    """Read what the plan of ``offer_id`` needs; ``UnknownOffer`` when the viewer may not see
    it. Nothing is solved yet: the caller may give its connection back first."""
    offer, listed = await _offer_matches(session, viewer, offer_id)
    requests = [
        Request(
            match.match_id,
            match.score or 0.0,
            need.quantity - need.quantity_met,
            _asked(need, offer),
        )
        for match, need in listed
        if match.status == "open"
        and match.score is not None
        and is_open(need.status)
        and need.quantity > need.quantity_met
    ]
    booked = await bookings_of(session, offer_id)
    return PlanInputs(
        offer, listed, requests, OfferInTime(offer.capacity, offer.turnaround_days, booked)
    )


async def solved(inputs: PlanInputs) -> RotationPlan:
    """The plan of ``inputs``, solved in a worker thread (HiGHS gives the GIL up while it
    solves: the event loop goes on meanwhile)."""
    offer, listed = inputs.offer, inputs.listed
    open_offer = is_open(offer.status)
    rotation = None
    if open_offer:
        rotation = await asyncio.to_thread(plan, inputs.in_time, inputs.requests)
    placed = rotation.placed if rotation else []
    by_id = {match.match_id: held_of(match, need) for match, need in listed}
    accepted = [by_id[m.match_id] for m, _ in listed if m.status == "accepted" and m.booked_from]
    bars = _bars(offer, accepted, placed, by_id)
    served, score = value(placed)
    return RotationPlan(
        timeline=_timeline(offer, bars),
        planned=[bar for bar in bars if bar.planned],
        requests=len(inputs.requests),
        served=served,
        score=score,
        offer_open=open_offer,
        proven=rotation.proven if rotation else True,
    )


async def rotation_plan(session: AsyncSession, viewer: Actor, offer_id: str) -> RotationPlan:
    """The plan of ``offer_id`` for ``viewer``, read and solved in ``session``'s transaction;
    ``UnknownOffer`` when the viewer may not see it."""
    return await solved(await plan_inputs(session, viewer, offer_id))


async def timelines(
    session: AsyncSession,
    viewer: Actor,
    offer_ids: Sequence[str] | None = None,
    within: Stretch | None = None,
    at_least: int = 1,
) -> list[Timeline]:
    """The timelines of the offers (of ``offer_ids``, else any) with at least ``at_least``
    bookings the viewer may see (one of them on a day of ``within``, if given), by title."""
    query = (
        listing(viewer)
        .order_by(ReviewMatch.booked_from, ReviewMatch.match_id)
        .where(ReviewMatch.status == "accepted", ReviewMatch.booked_from.is_not(None))
        .with_only_columns(*OFFER_COLUMNS, *HELD_COLUMNS)
    )
    if offer_ids is not None:
        query = query.where(one_of(ReviewMatch.offer_id, offer_ids))
    if within is not None:
        meeting = select(ReviewMatch.offer_id).where(
            ReviewMatch.status == "accepted",
            ReviewMatch.booked_from <= within.last,
            ReviewMatch.booked_until >= within.first,
        )
        query = query.where(ReviewMatch.offer_id.in_(meeting))
    per_offer: dict[str, tuple[ShownOffer, list[Held]]] = {}
    split = len(OFFER_COLUMNS)
    for row in await session.execute(query):
        if row[0] not in per_offer:
            per_offer[row[0]] = (ShownOffer(*row[:split]), [])
        per_offer[row[0]][1].append(Held(*row[split:]))
    shown = sorted(
        (entry for entry in per_offer.values() if len(entry[1]) >= at_least),
        key=lambda entry: (entry[0].title, entry[0].offer_id),
    )[:TIMELINES_SHOWN]
    return [timeline_of(offer, held) for offer, held in shown]


async def reviewed_timelines(
    session: AsyncSession, reviewer: Actor, within: Stretch, at_least: int
) -> list[Timeline]:
    """``timelines`` of every offer the reviewer may see (one booking in ``within``, at least
    ``at_least``), remembered until the reviewer's queues change (a booking is a decision on one
    of them): read them, do not change them."""

    async def now(session: AsyncSession, rtc_region: str | None) -> list[Timeline]:
        scope = Actor.admin("") if rtc_region is None else Actor.coordinator("", rtc_region)
        return await timelines(session, scope, within=within, at_least=at_least)

    name = f"timelines {within.first} {within.last} {at_least}"
    return await remembered(session, name, reviewer.region_shown(None), now)


async def _offer_matches(
    session: AsyncSession, viewer: Actor, offer_id: str
) -> tuple[ReviewOffer, list[Listed]]:
    """The offer and its matches in ``viewer``'s scope; ``UnknownOffer`` if none is (a provider's
    own offer is its own even before its first suggestion)."""
    rows = (
        await session.execute(
            listing(viewer)
            .order_by(ReviewMatch.booked_from, ReviewMatch.match_id)
            .where(ReviewMatch.offer_id == offer_id)
        )
    ).tuples()
    listed = [(match, need) for match, need, _ in rows]
    offer = await session.get(ReviewOffer, offer_id)
    own = viewer.role == "provider" and offer is not None
    if offer is None or not (
        listed or (own and offer.enterprise_number == viewer.organisation_number)
    ):
        raise UnknownOffer(offer_id)
    return offer, listed


def _asked(need: ReviewNeed, offer: ReviewOffer) -> Asked:
    return Asked(common_period(need, offer), need.period_days, days_counter(need.kind))


def _bars(
    offer: ReviewOffer | ShownOffer,
    accepted: list[Held],
    placed: list[Placed],
    by_id: dict[str, Held],
) -> list[Bar]:
    """The bars of the accepted matches, then of the plan, each with the units it holds."""
    shown = [(match, booking, False) for match in accepted if (booking := still_held(match))]
    shown += [(by_id[p.request.key], p.booking, True) for p in placed]
    rows = unit_rows([booking for *_, booking, _ in shown], offer.turnaround_days)
    return [
        Bar(
            match_id=match.match_id,
            school_name=match.school_name,
            need_title=match.title,
            first=booking.first,
            last=booking.last,
            held_until=booking.held(offer.turnaround_days).last,
            units=booking.units,
            rows=tuple(held),
            planned=planned,
            score=match.score or 0.0,
            step=None if planned else match.step or "accepted",
        )
        for (match, booking, planned), held in zip(shown, rows, strict=True)
    ]


def _timeline(offer: ReviewOffer | ShownOffer, bars: list[Bar]) -> Timeline:
    window = window_of(offer)
    firsts = [bar.first for bar in bars] + ([window.first] if window else [])
    lasts = [bar.held_until for bar in bars] + ([window.last] if window else [])
    rows = max((row + 1 for bar in bars for row in bar.rows), default=0)
    return Timeline(
        offer_id=offer.offer_id,
        offer_title=offer.title,
        provider_name=offer.provider_name,
        capacity=max(offer.capacity, rows),
        turnaround_days=offer.turnaround_days,
        first=min(firsts, default=date.today()),
        last=max(lasts, default=date.today()),
        bars=tuple(bars),
    )
