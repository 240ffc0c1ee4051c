"""Term pairs proposed from coordinators' decisions, for an administrator to add or dismiss.

A posting's terms are its keywords (what teachers and companies tag it with). Of a decided
pair, each need term the offer's terms do not already meet (``shared.vocabulary``) goes with
each offer term the need's terms do not meet: a proposal is such a (need term, offer term) of
one field that came with at least ``MIN_ACCEPTED`` accepted matches and with no rejected one,
among the latest ``DECISIONS_READ`` decisions, and was not dismissed. Accepting one adds it as
any pair is added (``terms.add_pair``); from then on the vocabulary meets it, so it is not
proposed again.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.matcher.tables import MatcherDismissedTerms, MatcherPosting, MatchSuggestion
from services.matcher.terms import MAX_TERM_CHARS, follow
from shared.vocabulary import same_concept

MIN_ACCEPTED = 3
DECISIONS_READ = 5000
SHOWN = 50

_Key = tuple[str, str, str]  # field, need term, offer term (lower case)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A need's term and an offer's term that kept coming together in accepted matches."""

    field: str
    need_term: str
    offer_term: str
    accepted: int


async def proposals(session: AsyncSession) -> list[Proposal]:
    """The pairs to propose, the most often accepted first (at most ``SHOWN``)."""
    await follow(session)
    need, offer = aliased(MatcherPosting), aliased(MatcherPosting)
    decided = await session.execute(
        select(
            MatchSuggestion.status,
            need.payload["field"].astext,
            need.payload["keywords"],
            offer.payload["keywords"],
        )
        .join(need, (need.side == "need") & (need.posting_id == MatchSuggestion.need_id))
        .join(offer, (offer.side == "offer") & (offer.posting_id == MatchSuggestion.offer_id))
        .where(MatchSuggestion.status.in_(("accepted", "rejected")))
        .order_by(MatchSuggestion.updated_at.desc())
        .limit(DECISIONS_READ)
    )
    accepted: Counter[_Key] = Counter()
    rejected: set[_Key] = set()
    written: dict[_Key, tuple[str, str]] = {}
    for status, field, need_terms, offer_terms in decided:
        for need_term, offer_term in _unmet(_terms(need_terms), _terms(offer_terms)):
            key = (field, need_term.lower(), offer_term.lower())
            written.setdefault(key, (need_term, offer_term))
            if status == "accepted":
                accepted[key] += 1
            else:
                rejected.add(key)
    dismissed = set(
        (await session.execute(select(MatcherDismissedTerms.field, MatcherDismissedTerms.need_term,
                                      MatcherDismissedTerms.offer_term))).tuples()
    )  # fmt: skip
    found = [
        Proposal(key[0], *written[key], count)
        for key, count in accepted.most_common()
        if count >= MIN_ACCEPTED and key not in rejected and key not in dismissed
    ]
    return found[:SHOWN]


async def dismiss(
    session: AsyncSession, field: str, need_term: str, offer_term: str, by: str
) -> None:
    """Never propose this pair again (dismissing it twice changes nothing)."""
    await session.execute(
        insert(MatcherDismissedTerms)
        .values(
            field=field[:60],
            need_term=need_term.lower()[:MAX_TERM_CHARS],
            offer_term=offer_term.lower()[:MAX_TERM_CHARS],
            dismissed_by=by,
        )
        .on_conflict_do_nothing()
    )


def _terms(keywords: object) -> list[str]:
    """A posting's keywords as terms: trimmed, non-empty, no longer than a term may be."""
    if not isinstance(keywords, list):
        return []
    terms = (" ".join(str(keyword).split()) for keyword in keywords)
    return list(dict.fromkeys(t for t in terms if t and len(t) <= MAX_TERM_CHARS))


def _unmet(need_terms: Sequence[str], offer_terms: Sequence[str]) -> list[tuple[str, str]]:
    """Each need term no offer term meets, with each offer term no need term meets."""
    need_left = [t for t in need_terms if not any(same_concept(t, o) for o in offer_terms)]
    offer_left = [o for o in offer_terms if not any(same_concept(t, o) for t in need_terms)]
    return [(need_term, offer_term) for need_term in need_left for offer_term in offer_left]
