"""The rendered list of a school's or provider's own postings (``/school``, ``/aanbieder``),
remembered per API process under the organisation, the side, the page, the version of the
organisation's postings (``shared.own_versions``, read before the list it versions) and the
day (a timeline without days of its own shows today).

Every change the list shows moves that version in its own transaction: intake storing a
posting, the API sending one, the review changing a match, a need's or an offer's review row,
or the posting on the other side of a match. The next request therefore renders again, and
people of one organisation asking for an unchanged page share one rendering. The key names the
organisation: nothing of one is ever shown to another. A list with a posting waiting for intake
is not kept (intake refusing an edit changes no stored posting), and neither is the admin's,
which shows every organisation's.

Nothing personal is kept: the withdrawal forms carry ``CSRF_PLACEHOLDER``, which ``postings``
replaces by the user's own token.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.pages.queue_fragments import CSRF_PLACEHOLDER
from shared.own_versions import OwnSide, own_version
from shared.remembering import Remembered

KEPT = 256  # pages of postings (about 20-40 kB each at ten postings a page)


@dataclass(frozen=True, slots=True)
class Listed:
    """A rendered list, with ``CSRF_PLACEHOLDER`` for the token, and whether a posting in it
    waits for intake."""

    html: str
    waiting: bool


_known: Remembered[Listed] = Remembered(KEPT)


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
    if owner_number is None:
        listed = await render()
    else:
        version = await own_version(session, side, owner_number)  # before what it versions
        key = (side, owner_number, page, version, date.today())
        listed = await _known.get(key, render, keep=lambda found: not found.waiting)
    return Markup(listed.html.replace(CSRF_PLACEHOLDER, str(escape(csrf_token))))  # noqa: S704 - rendered escaped
