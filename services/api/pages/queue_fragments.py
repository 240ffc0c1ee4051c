"""The rendered cards of a review queue page, remembered per API process: the page of them per
queue version, and each card by what it shows.

A page of cards costs queries and Jinja; many coordinators asking for the same page of an
unchanged queue share one rendering. The key holds the reviewer's scope (role and region), the
filters, the page, the version of the scope's queues (``services.review.changes``, read by the
caller before the cards it versions) and the minute: a decision anywhere in the scope moves the
version, so the next request renders again, and what depends on the clock alone ("wacht langer
dan …") or changes outside the queue's version (schools' ratings of a provider, an offer's
place) is at most a minute old.

Below the page, each card is remembered by what it shows (``card_key``): the need, its
candidates' matches and offers column by column, and what the page worked out for them (waits
too long, availability, place, track record). In a busy region every decision and every new
suggestion moves the version; the next request queries the page again but renders only the
cards the change touched.

Nothing personal is remembered: the cards are rendered with ``CSRF_PLACEHOLDER`` (random per
process, never sent) where a form's CSRF token goes, and ``cards`` puts each user's own token in
its place. People asking for a page being rendered wait for that rendering instead of rendering
it beside it.
"""

import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from operator import attrgetter
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import ARRAY, JSON, Row, inspect
from sqlalchemy.orm import Mapper

from services.review.queue import Candidate, NeedCard
from shared.remembering import Key, Remembered

KEPT = 64  # pages of cards (about 130 kB each at ten needs a page)
CARDS_KEPT = 1024  # cards (up to about 14 kB each: a need with ten candidates)
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_known: Remembered[str] = Remembered(KEPT)


async def cards(key: Key | None, csrf_token: str, render: Callable[[], Awaitable[str]]) -> Markup:
    """The cards of ``key`` (scope, filters, page, queue version) with ``csrf_token`` in their
    forms: remembered, or ``render()`` (which puts ``CSRF_PLACEHOLDER`` for the token); rendered
    afresh and not kept when ``key`` is ``None``."""
    if key is None:
        html = await render()
    else:
        html = await remembered((*key, int(time.time() // 60)), render)
    return Markup(html.replace(CSRF_PLACEHOLDER, str(escape(csrf_token))))  # noqa: S704 - rendered escaped


async def remembered(key: Key, render: Callable[[], Awaitable[str]]) -> str:
    """The page of cards ``key`` names, rendered once while others wait for it."""
    return await _known.get(key, render)


_known_cards: Remembered[str] = Remembered(CARDS_KEPT)
_columns_of: dict[type, Callable[[object], tuple[Any, ...]]] = {}


def card(key: Key, render: Callable[[], str]) -> Markup:
    """The card ``key`` (``card_key``) names: remembered, or ``render()`` (with
    ``CSRF_PLACEHOLDER`` for the token of its forms)."""
    return Markup(_known_cards.at_once(key, render))  # noqa: S704 - rendered escaped


def card_key(card: NeedCard, places: Mapping[str, object], records: Mapping[str, object]) -> Key:
    """What ``card`` shows, as the key of its rendering: the ids of its need and matches, and a
    hash of every value they show (one card's renderings apart; a hash collision could show an
    older rendering of the same card, never another's)."""
    shown = _shown(card, places, records)
    return (_ids(card), hash(shown))


def _ids(card: NeedCard | None) -> tuple[object, ...]:
    if card is None:
        return ()
    matches = tuple(c.match.match_id for c in (*card.candidates, *card.accepted))
    return (card.need.need_id, len(card.candidates), matches, _ids(card.replacement))


def _shown(
    card: NeedCard | None, places: Mapping[str, object], records: Mapping[str, object]
) -> tuple[object, ...]:
    if card is None:
        return ()
    return (
        _columns(card.need),
        tuple(_candidate(c, places, records) for c in (*card.candidates, *card.accepted)),
        _shown(card.replacement, places, records),
    )


def _candidate(
    c: Candidate, places: Mapping[str, object], records: Mapping[str, object]
) -> tuple[object, ...]:
    return (
        _columns(c.match),
        _columns(c.offer),
        c.late,
        c.availability,
        places.get(c.offer.offer_id),
        records.get(c.offer.enterprise_number),
    )


def _columns(row: object) -> tuple[Any, ...]:
    """Every column of a review row (an entity, or a row of the columns a card shows), lists and
    mappings (grades, score components) as tuples."""
    if isinstance(row, Row):
        return tuple(_frozen(value) if isinstance(value, list | dict) else value for value in row)
    read = _columns_of.get(type(row))
    if read is None:
        read = _columns_of[type(row)] = _reader(type(row))
    return read(row)


def _reader(kind: type) -> Callable[[object], tuple[Any, ...]]:
    mapper: Mapper[Any] = inspect(kind)
    attributes = list(mapper.column_attrs)
    values = attrgetter(*(attribute.key for attribute in attributes))
    loose = [  # the columns read as lists or mappings
        place
        for place, attribute in enumerate(attributes)
        if isinstance(attribute.columns[0].type, JSON | ARRAY)
    ]

    def read(row: object) -> tuple[Any, ...]:
        found = values(row)
        if not loose:
            return found
        frozen = list(found)
        for place in loose:
            frozen[place] = _frozen(frozen[place])
        return tuple(frozen)

    return read


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(map(_frozen, value))
    return value
