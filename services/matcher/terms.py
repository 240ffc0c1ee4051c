"""The vocabulary as administrators edit it, and the terms a pair's texts share.

The shipped file (``shared.vocabulary``) is the reviewed base; administrators add term pairs
per field on top of it, kept in ``matcher_term_pairs``. Every change takes a fresh revision, so
the highest revision is the vocabulary's version: a process checks it (one indexed query)
before it matches or explains, and installs the pairs again when it moved (``follow``). The
matcher's groups then rebuild their texts' rows with it (``GroupState.catch_up``): new scoring
uses the new vocabulary; lists already made stay until they are scored again. A group that was
loading while another group's transaction installed a newer version recorded the older one, so
its next transaction rebuilds it once more.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher.explain import shown_terms
from services.matcher.store import MatcherStore
from services.matcher.tables import REVISION, MatcherTermPair
from services.matcher.text import posting_text
from shared import vocabulary
from shared.taxonomy import field_domains, field_label

MAX_TERM_CHARS = 80
_WORD = re.compile(r"\w")
_installed: int | None = None  # the version this process installed (None: the file alone)


class TermPairError(ValueError):
    """A term pair that cannot be added; the message says why, in Dutch."""


@dataclass(frozen=True, slots=True)
class AddedPair:
    """A pair an administrator added, as the page lists it."""

    pair_id: int
    field: str
    term: str
    other: str
    added_by: str
    added_at: datetime


async def follow(session: AsyncSession, version: int | None = None) -> int:
    """Install the administrators' pairs if they changed since this process last looked; the
    vocabulary's version (0: no pair was ever added), read unless the caller read it already
    (``version``, as the matcher's group lock does)."""
    global _installed
    if version is None:
        version = int(await session.scalar(select(func.max(MatcherTermPair.revision))) or 0)
    if version != _installed:
        pairs = await added_pairs(session)
        vocabulary.install([vocabulary.TermPair(p.field, p.term, p.other) for p in pairs])
        _installed = version
    return version


async def added_pairs(session: AsyncSession) -> list[AddedPair]:
    """The pairs in force, in the order they were added."""
    rows = await session.scalars(
        select(MatcherTermPair)
        .where(MatcherTermPair.removed_at.is_(None))
        .order_by(MatcherTermPair.pair_id)
    )
    return [
        AddedPair(row.pair_id, row.field, row.term, row.other, row.added_by, row.added_at)
        for row in rows
    ]


async def add_pair(session: AsyncSession, field: str, term: str, other: str, by: str) -> int:
    """Add that ``term`` and ``other`` name the same thing in ``field``; the pair's id.
    ``TermPairError`` for an unknown field, a term without a letter or digit, or terms the
    vocabulary already reads as one thing or as two different things."""
    term, other = _term(term), _term(other)
    if field not in field_domains():
        raise TermPairError("Kies een vakgebied.")
    await follow(session)
    if vocabulary.same_concept(term, other):
        raise TermPairError(f"De woordenlijst leest “{term}” en “{other}” al als hetzelfde.")
    named = [set(vocabulary.terms_in(text)) for text in (term, other)]
    if all(named):
        labels = ", ".join(sorted(named[0] | named[1]))
        raise TermPairError(f"Beide termen horen al bij een ander begrip ({labels}).")
    row = MatcherTermPair(field=field, term=term, other=other, added_by=by)
    session.add(row)
    await session.flush()
    return row.pair_id


async def remove_pair(session: AsyncSession, pair_id: int) -> bool:
    """Take an added pair out of the vocabulary; False when no such pair is in force."""
    removed = await session.execute(
        update(MatcherTermPair)
        .where(MatcherTermPair.pair_id == pair_id, MatcherTermPair.removed_at.is_(None))
        .values(removed_at=func.now(), revision=REVISION.next_value())
        .returning(MatcherTermPair.pair_id)
    )
    return removed.first() is not None


async def pair_terms(session: AsyncSession, need_id: str, offer_id: str) -> list[str] | None:
    """The vocabulary's terms both postings' texts name, as the explanation names them ("PV ~
    zonnepanelen"); None when the matcher does not hold both postings."""
    stored = {
        posting.side: posting.fields
        for posting in await MatcherStore(session).postings(
            [("need", need_id), ("offer", offer_id)]
        )
    }
    if len(stored) < 2:
        return None
    await follow(session)
    need, offer = stored["need"], stored["offer"]
    return shown_terms(
        posting_text(need.title, need.description, need.keywords),
        posting_text(offer.title, offer.description, offer.keywords),
    )


def fields() -> dict[str, str]:
    """The fields a pair may be added for: code -> Dutch label."""
    return {code: field_label(code) for code in field_domains()}


def _term(written: str) -> str:
    term = " ".join(written.split())
    if not _WORD.search(term):
        raise TermPairError("Geef twee termen met letters of cijfers.")
    if len(term) > MAX_TERM_CHARS:
        raise TermPairError(f"Een term is hoogstens {MAX_TERM_CHARS} tekens lang.")
    return term
