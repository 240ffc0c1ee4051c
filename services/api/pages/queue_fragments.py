"""The rendered cards of a review queue page, remembered per API process.

A page of cards costs tens of milliseconds of queries and Jinja; many coordinators asking for
the same page of an unchanged queue share one rendering. The key holds the reviewer's scope
(role and region), the filters, the page, the version of the scope's queues
(``services.review.changes``, read by the caller before the cards it versions) and the minute:
a decision anywhere in the scope moves the version, so the next request renders again, and
what depends on the clock alone ("wacht langer dan …") or changes outside the queue's version
(schools' ratings of a provider, an offer's place) is at most a minute old.

Nothing personal is remembered: the cards are rendered with ``CSRF_PLACEHOLDER`` (random per
process, never sent) where a form's CSRF token goes, and ``cards`` puts each user's own token in
its place. People asking for a page being rendered wait for that rendering instead of rendering
it beside it.
"""

import secrets
import time
from collections.abc import Awaitable, Callable

from markupsafe import Markup, escape

from shared.remembering import Key, Remembered

KEPT = 64  # pages of cards (about 130 kB each at ten needs a page)
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
