"""Why a need has no suggestion (yet), by the matcher's own rules, never a copy of them.

The need is scored against its kind group's open offers by the same ``OpenPostings`` the matcher
suggests with, as it is and with one of its limits lifted at a time (its distance, its period,
its grades): an offer that passes only with a limit lifted is a near miss of that limit. Offers
that pass every rule but score under the threshold, offers in an unrelated field
(``taxonomy.field_relation``) and offers that are fully booked are counted too.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher.batches import batch_of
from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.open_postings import OpenPostings
from services.matcher.profiles import offer_profiles
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore
from services.matcher.terms import follow as follow_vocabulary
from shared.taxonomy import field_label, field_relation, kind_label, offer_kind_factors

WORLD_KM = 20_000.0  # farther than any two places: the distance limit lifted
_LIFTED = ("distance", "period", "grades")


@dataclass(frozen=True, slots=True)
class Miss:
    """Offers kept out by one rule: which rule, how many, and what a school reads about it."""

    rule: str  # distance, period, grades, score, field, booked
    offers: int
    message: str


@dataclass(frozen=True, slots=True)
class Misses:
    """The open offers a need may meet, and the rules that kept them out, nearest first."""

    need_id: str
    open_offers: int
    misses: list[Miss]


@cache
def _settings() -> MatcherSettings:
    return MatcherSettings()


def _lifted(need: NeedProfile, rule: str, offers: Sequence[OfferProfile]) -> NeedProfile:
    """``need`` with the limit of ``rule`` lifted, under an id of its own."""
    need_id = f"{need.need_id}#{rule}"
    if rule == "distance":
        return replace(need, need_id=need_id, max_distance_km=WORLD_KM)
    if rule == "period":
        start = min([need.start, *(offer.start for offer in offers)])
        end = max([need.end, *(offer.end for offer in offers)])
        return replace(need, need_id=need_id, start=start, end=end, days=1)
    return replace(need, need_id=need_id, grades=frozenset())


def _passing(
    need: NeedProfile, offers: Sequence[OfferProfile], settings: MatcherSettings
) -> dict[str, dict[str, tuple[float, float]]]:
    """Per variant of ``need`` (as is, each limit lifted): offer id -> (score, km) of the
    offers passing every hard rule, at any score."""
    variants = [need, *(_lifted(need, rule, offers) for rule in _LIFTED)]
    postings = OpenPostings(settings.model_copy(update={"min_score": 0.0}))
    postings.put_needs(variants)
    postings.put_offers(offers)
    postings.refresh_text_model()
    pairs = postings.score_needs([v.need_id for v in variants], keep_best=len(offers) + 1)
    passing: dict[str, dict[str, tuple[float, float]]] = {v.need_id: {} for v in variants}
    scored = pairs.scored
    for need_id, offer_id, score, km in zip(
        pairs.need_ids, pairs.offer_ids, scored.score.tolist(), scored.distance_km.tolist(),
        strict=True,
    ):  # fmt: skip
        passing[need_id][offer_id] = (score, km)
    return {rule: passing[v.need_id] for rule, v in zip(("as_is", *_LIFTED), variants, strict=True)}


def _message(rule: str, need: NeedProfile, count: int, nearest_km: float, threshold: float) -> str:
    one = count == 1
    what = f"{count} {'aanbieding' if one else 'aanbiedingen'}"
    fits, are = ("past", "is") if one else ("passen", "zijn")
    messages = {
        "distance": f"{what} {fits}, maar {'ligt' if one else 'liggen'} te ver: de dichtste op "
        f"{round(nearest_km)} km; uw grens is {round(need.max_distance_km)} km. Een grotere "
        "afstand helpt.",
        "period": f"{what} {fits}, maar niet in uw periode ({need.start:%d/%m/%Y}–"
        f"{need.end:%d/%m/%Y}, {need.days} werkdagen). Andere data of minder dagen helpen.",
        "grades": f"{what} {fits}, maar {are} voor andere graden.",
        "score": f"{what} {'voldoet' if one else 'voldoen'} aan elke regel, maar "
        f"{'haalt' if one else 'halen'} de drempel van {round(threshold * 100)} % niet. Meer "
        "uitleg of trefwoorden helpen.",
        "field": f"{what} {are} voor een vakgebied dat niet bij {field_label(need.field)} past.",
        "booked": f"{what} in uw vakgebied {are} volzet.",
    }
    return messages[rule]


def _meetable(need: NeedProfile, offers: Sequence[OfferProfile]) -> list[OfferProfile]:
    """The offers of a kind ``need`` may be matched with."""
    kinds = offer_kind_factors(need.kind)
    return [offer for offer in offers if offer.kind in kinds]


def _related(need: NeedProfile, offers: Sequence[OfferProfile]) -> list[OfferProfile]:
    return [offer for offer in offers if field_relation(need.field, offer.field) is not None]


def misses_of(
    need: NeedProfile,
    offers: Sequence[OfferProfile],
    booked: Sequence[OfferProfile],
    settings: MatcherSettings,
) -> Misses:
    """The near misses of ``need`` among the open ``offers`` of its group, and the ``booked``
    ones (no capacity left) that it could have met (pure)."""
    meetable = _meetable(need, offers)
    if not meetable:
        message = f"Er is nog geen open aanbod van de soort {kind_label(need.kind).lower()}."
        return Misses(need.need_id, 0, [Miss("kind", 0, message)])
    related = _related(need, meetable)
    passing = _passing(need, related, settings) if related else {}
    as_is = passing.get("as_is", {})
    found: list[Miss] = []
    below = [offer_id for offer_id, (score, _) in as_is.items() if score < settings.min_score]
    if below:
        found.append(
            Miss("score", len(below), _message("score", need, len(below), 0.0, settings.min_score))
        )
    for rule in _LIFTED:
        newly = {k: v for k, v in passing.get(rule, {}).items() if k not in as_is}
        if newly:
            nearest = float(np.min([km for _, km in newly.values()]))
            found.append(Miss(rule, len(newly), _message(rule, need, len(newly), nearest, 0.0)))
    if unrelated := len(meetable) - len(related):
        found.append(Miss("field", unrelated, _message("field", need, unrelated, 0.0, 0.0)))
    if full := len(_related(need, _meetable(need, booked))):
        found.append(Miss("booked", full, _message("booked", need, full, 0.0, 0.0)))
    return Misses(need.need_id, len(meetable), found)


async def why_no_match(session: AsyncSession, need_id: str) -> Misses | None:
    """The near misses of the open need ``need_id`` against its group's open offers, as the
    matcher stores them; ``None`` while the matcher has not registered it or it is closed."""
    store = MatcherStore(session)
    stored = await store.postings([("need", need_id)])
    if not stored:
        return None
    offers = await store.open_offers(stored[0].kind_group)
    entries = {(p.side, p.posting_id): (p.status, p.used, p.fields) for p in [*stored, *offers]}
    batch = batch_of(entries)
    if not batch.needs:
        return None
    used_up = offer_profiles([(p.fields, p.used) for p in offers if p.used >= p.fields.amount])
    await follow_vocabulary(session)  # texts read as the matcher reads them
    # Scoring a big group takes a few hundred milliseconds: off the event loop.
    return await asyncio.to_thread(misses_of, batch.needs[0], batch.offers, used_up, _settings())
