"""The matches a school's or provider's own page shows under each of its postings: only the
columns the page names, in one query for a whole page of postings, the best first, withdrawn
ones left out (no entities to build: a page shows hundreds of rows); in the same statement, the
postings' own review rows the page shows beside them (a need's progress, an offer's capacity
and period), a statement fewer a request."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import SQLColumnExpression, Subquery, func, outerjoin, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.queries import in_scope, listing, listing_order
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.db import one_of


@dataclass(frozen=True, slots=True)
class Party:
    """The other side of a match as its contact: organisation, person, e-mail address."""

    organisation: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class OwnMatch:
    """A match under one's posting: what it pairs, where it stands, and the other party (the
    page shows it only once the match is accepted)."""

    match_id: str
    status: str
    score: float
    step: str | None
    need_title: str
    school: str
    offer_title: str
    provider: str
    other_party: Party


@dataclass(frozen=True, slots=True)
class OwnPostings:
    """A page of one's postings in the review state: each one's best matches, and each one's
    own row (the columns the caller asked for)."""

    matches: dict[str, list[OwnMatch]]
    rows: dict[str, tuple[Any, ...]]


async def postings_with_matches(
    session: AsyncSession,
    viewer: Actor,
    side: Literal["need", "offer"],
    posting_ids: Collection[str],
    each: int,
    shown: Sequence[SQLColumnExpression[Any]] = (),
) -> OwnPostings:
    """Those of ``posting_ids`` that are ``viewer``'s (a school's needs, a provider's offers):
    their ``shown`` columns (of ``ReviewNeed`` or ``ReviewOffer``, as ``side``) and their best
    ``each`` matches by score that ``viewer`` may see, not withdrawn; one statement."""
    if not posting_ids:
        return OwnPostings({}, {})
    table, own = (
        (ReviewNeed, ReviewNeed.need_id) if side == "need" else (ReviewOffer, ReviewOffer.offer_id)
    )
    ranked = _ranked(viewer, side, posting_ids)
    rows = await session.execute(
        select(own, *shown, *ranked.c)
        .select_from(
            outerjoin(table, ranked, (ranked.c.posting_id == own) & (ranked.c.place <= each))
        )
        .where(one_of(own, posting_ids), in_scope(viewer))
        .order_by(own, ranked.c.place)
    )
    found = OwnPostings({}, {})
    after = 1 + len(shown)
    for row in rows.tuples():
        found.rows[row[0]] = tuple(row[1:after])
        if row[after] is not None:
            found.matches.setdefault(row[0], []).append(_match(*row[after + 1 :]))
    return found


def _ranked(
    viewer: Actor, side: Literal["need", "offer"], posting_ids: Collection[str]
) -> Subquery:
    """The matches of ``posting_ids`` ``viewer`` may see, not withdrawn, with their place
    among their posting's by score."""
    posting = ReviewMatch.need_id if side == "need" else ReviewMatch.offer_id
    other = ReviewOffer if side == "need" else ReviewNeed
    party = ReviewOffer.provider_name if side == "need" else ReviewNeed.school_name
    place = func.row_number().over(partition_by=posting, order_by=listing_order("score"))
    columns = (
        posting.label("posting_id"), ReviewMatch.match_id, ReviewMatch.status, ReviewMatch.score,
        ReviewMatch.step, ReviewNeed.title.label("need_title"), ReviewNeed.school_name,
        ReviewOffer.title.label("offer_title"), ReviewOffer.provider_name, party.label("party"),
        other.contact_name.label("contact_name"), other.contact_email.label("contact_email"),
        place.label("place"),
    )  # fmt: skip
    return (
        listing(viewer)
        .where(one_of(posting, posting_ids), ReviewMatch.status != "withdrawn")
        .with_only_columns(*columns)
        .subquery("ranked")
    )


def _match(
    match_id: str,
    status: str,
    score: float | None,
    step: str | None,
    need_title: str,
    school: str,
    offer_title: str,
    provider: str,
    party: str,
    contact_name: str,
    contact_email: str,
    _place: int,
) -> OwnMatch:
    return OwnMatch(
        match_id, status, score or 0.0, step, need_title, school, offer_title, provider,
        Party(party, contact_name, contact_email),
    )  # fmt: skip
