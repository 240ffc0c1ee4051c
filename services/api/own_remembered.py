"""What the API shows of an organisation's own postings (the page of ``/school`` and
``/aanbieder``, a page of ``/api/needs`` and ``/api/offers``), remembered per API process
under the organisation, the side, what was asked, the version of the organisation's postings
(``shared.own_versions``, read before what it versions) and the day (a timeline without days
of its own shows today).

Every change these show moves that version in its own transaction: intake storing a posting,
the API sending one, the review changing a match, a need's or an offer's review row, or the
posting on the other side of a match. The next request therefore computes again, and people of
one organisation asking for the same unchanged page share one computation. The key names the
organisation: nothing of one is ever shown to another. An answer with a posting waiting for
intake is not kept (intake refusing an edit changes no stored posting), and neither is the
admin's, which shows every organisation's.
"""

from collections.abc import Awaitable, Callable, Hashable
from datetime import date
from typing import TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

from shared.own_versions import OwnSide, own_version
from shared.remembering import Remembered

Answer = TypeVar("Answer")
KEPT = 512  # answers, of every organisation, side and page (the oldest go)
_known: Remembered[object] = Remembered(KEPT)


async def remembered(
    session: AsyncSession,
    side: OwnSide,
    owner_number: str | None,
    asked: Hashable,
    compute: Callable[[], Awaitable[Answer]],
    waiting: Callable[[Answer], bool],
) -> Answer:
    """``compute()``'s answer to ``asked`` of ``owner_number``'s postings of ``side``, as of
    their version: remembered unless ``waiting`` (a posting in it waits for intake);
    ``owner_number`` ``None`` (every organisation's): computed afresh. Shared between callers:
    read it, do not change it."""
    if owner_number is None:
        return await compute()
    version = await own_version(session, side, owner_number)  # before what it versions
    key = (side, owner_number, asked, version, date.today())
    kept = await _known.get(key, compute, keep=lambda found: not waiting(cast(Answer, found)))
    return cast(Answer, kept)
