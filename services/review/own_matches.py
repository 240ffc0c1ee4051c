"""The matches a school's or provider's own page shows under each of its postings: only the
columns the page names, in one query for a whole page of postings, the best first, withdrawn
ones left out (no entities to build: a page shows hundreds of rows)."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.queries import listing, listing_order
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer


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


async def own_matches(
    session: AsyncSession,
    viewer: Actor,
    side: Literal["need", "offer"],
    posting_ids: Collection[str],
    each: int,
) -> dict[str, list[OwnMatch]]:
    """Posting id -> its best ``each`` matches by score that ``viewer`` may see, not withdrawn."""
    if not posting_ids:
        return {}
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
    ranked = (
        listing(viewer)
        .where(posting.in_(list(posting_ids)), ReviewMatch.status != "withdrawn")
        .with_only_columns(*columns)
        .subquery()
    )
    rows = await session.execute(
        select(ranked).where(ranked.c.place <= each).order_by(ranked.c.posting_id, ranked.c.place)
    )
    found: dict[str, list[OwnMatch]] = {}
    for row in rows:
        party_of = Party(row.party, row.contact_name, row.contact_email)
        found.setdefault(row.posting_id, []).append(
            OwnMatch(
                row.match_id,
                row.status,
                row.score or 0.0,
                row.step,
                row.need_title,
                row.school_name,
                row.offer_title,
                row.provider_name,
                party_of,
            )
        )
    return found
