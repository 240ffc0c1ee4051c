"""The rendered list of a school's or provider's own postings (``/school``, ``/aanbieder``),
remembered per organisation, page and version of its postings
(``services.api.own_remembered``).

Nothing personal is kept: the withdrawal forms carry ``CSRF_PLACEHOLDER``, which ``postings``
replaces by the user's own token.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.own_remembered import remembered
from services.api.pages.queue_fragments import CSRF_PLACEHOLDER
from shared.own_versions import OwnSide


@dataclass(frozen=True, slots=True)
class Listed:
    """A rendered list, with ``CSRF_PLACEHOLDER`` for the token, and whether a posting in it
    waits for intake."""

    html: str
    waiting: bool


async def postings(
    session: AsyncSession,
    side: OwnSide,
    owner_number: str | None,
    page: int,
    csrf_token: str | None,
    render: Callable[[], Awaitable[Listed]],
) -> Markup:
    """The list of ``owner_number``'s postings of ``side`` on ``page`` with ``csrf_token`` in
    its forms: remembered, or ``render()``; ``owner_number`` ``None`` (every organisation's):
    rendered afresh."""
    asked = ("page", page)
    listed = await remembered(session, side, owner_number, asked, render, _waiting)
    return Markup(listed.html.replace(CSRF_PLACEHOLDER, str(escape(csrf_token))))  # noqa: S704 - rendered escaped


def _waiting(listed: Listed) -> bool:
    return listed.waiting
