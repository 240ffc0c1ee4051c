"""The rows a review queue card shows, read as plain rows of the columns it shows (no entities:
nothing to track, a tenth of the Python per row), its candidates of two statuses in one query,
each offer with its bookings, its provider's track record and its place.

A row reads as its entity does (``row.title``), for these columns only: a card's template and
what works out its candidates (``services.review.queue``) read nothing else.
"""

from collections.abc import Collection
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import ARRAY, Row, Select, String, any_, bindparam, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Bundle

from services.intake.queries import offer_place
from services.review.actors import Actor
from services.review.offer_bookings import accepted_bookings
from services.review.queries import MatchFilter, listing, listing_order, narrowed
from services.review.ratings import school_ratings
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.db import one_of

NEED: Bundle[Any] = Bundle(
    "need", ReviewNeed.need_id, ReviewNeed.title, ReviewNeed.school_name,
    ReviewNeed.institution_number, ReviewNeed.kind, ReviewNeed.field, ReviewNeed.grades,
    ReviewNeed.period_start, ReviewNeed.period_end, ReviewNeed.quantity, ReviewNeed.quantity_met,
    ReviewNeed.rtc_region,
)  # fmt: skip
MATCH: Bundle[Any] = Bundle(
    "match", ReviewMatch.match_id, ReviewMatch.need_id, ReviewMatch.offer_id, ReviewMatch.status,
    ReviewMatch.kind, ReviewMatch.score, ReviewMatch.rank, ReviewMatch.components,
    ReviewMatch.distance_km, ReviewMatch.explanation, ReviewMatch.suggested_at,
    ReviewMatch.decided_at, ReviewMatch.reason_code, ReviewMatch.reason,
    ReviewMatch.revoke_reason, ReviewMatch.step, ReviewMatch.booked_from, ReviewMatch.booked_until,
)  # fmt: skip
# What a card shows of an offer beside its own columns, in the same statement: what its accepted
# matches booked (``offer_bookings.free_in``), what schools said of its provider
# (``ratings.as_track_record``) and where it takes place (intake's ``offer_place``).
BOOKED = accepted_bookings(ReviewOffer.offer_id)
RATED = school_ratings(ReviewOffer.enterprise_number).lateral("school_ratings")
LOCALITY, DELIVERED = offer_place(ReviewOffer.offer_id)
OFFER: Bundle[Any] = Bundle(
    "offer", ReviewOffer.offer_id, ReviewOffer.title, ReviewOffer.provider_name,
    ReviewOffer.enterprise_number, ReviewOffer.period_start, ReviewOffer.period_end,
    ReviewOffer.capacity, ReviewOffer.turnaround_days, BOOKED.c.booked_from,
    BOOKED.c.booked_until, BOOKED.c.booked_units, BOOKED.c.cancelled_on,
    RATED.c.average.label("rating_average"), RATED.c.count.label("rating_count"),
    LOCALITY.label("locality"), DELIVERED.label("delivered"),
)  # fmt: skip
Shown = tuple[Row[Any], Row[Any], Row[Any]]  # a candidate: its match, need and offer
Candidates = dict[str, list[Shown]]


async def candidates(
    session: AsyncSession,
    viewer: Actor,
    need_ids: Collection[str],
    status: str | None,
    each: int,
) -> tuple[Candidates, Candidates]:
    """The best ``each`` matches (by score) of ``status`` (any: ``None``) of each need of
    ``need_ids`` that ``viewer`` may see, and, when ``status`` is another, the best ``each``
    accepted ones apart, in one query: need id -> its rows, best first, for each."""
    query = _candidates_query(replace(viewer, email=""), status, each)
    rows = await session.execute(query, {"need_ids": list(need_ids)})
    best: Candidates = {}
    accepted_apart: Candidates = {}
    for match, need, offer, is_apart in rows.tuples():
        (accepted_apart if is_apart else best).setdefault(need.need_id, []).append(
            (match, need, offer)
        )
    return best, accepted_apart


@lru_cache(maxsize=64)  # per scope (not per person) and status: built and keyed once
def _candidates_query(viewer: Actor, status: str | None, each: int) -> Select[Any]:
    apart = status not in (None, "accepted")
    accepted = ReviewMatch.status == "accepted" if apart else literal(False)
    place = func.row_number().over(
        partition_by=(ReviewMatch.need_id, accepted), order_by=listing_order("score")
    )
    ranked = narrowed(listing(viewer), MatchFilter(status=None if apart else status))
    if apart:
        ranked = ranked.where(ReviewMatch.status.in_((status, "accepted")))
    chosen = (
        ranked.where(ReviewMatch.need_id == any_(bindparam("need_ids", type_=ARRAY(String))))
        .with_only_columns(ReviewMatch.match_id, place.label("place"), accepted.label("apart"))
        .subquery()
    )
    return (
        select(MATCH, NEED, OFFER, chosen.c.apart)
        .join_from(ReviewMatch, ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .join(chosen, chosen.c.match_id == ReviewMatch.match_id)
        .join(BOOKED, true())
        .join(RATED, true())
        .where(chosen.c.place <= each)
        .order_by(ReviewMatch.need_id, chosen.c.apart, chosen.c.place)
    )


async def needs(session: AsyncSession, need_ids: Collection[str]) -> dict[str, Row[Any]]:
    """The needs themselves, for cards without a candidate of the status asked for."""
    if not need_ids:
        return {}
    rows = await session.execute(select(NEED).where(one_of(ReviewNeed.need_id, need_ids)))
    return {need.need_id: need for (need,) in rows.tuples()}
