"""The version of an organisation's own postings as its page shows them (a school's needs, a
provider's offers, with their review state): one number per side and owner, drawn anew at
random in the transaction of every change of what ``/school`` or ``/aanbieder`` shows, so the
API remembers a rendered list until its version moves.

Each service moves it in its own transactions, for the state it owns: intake when it stores a
posting, the API when it sends one, the review (``services.review.changes``) in the statement
that bumps its queue versions, for the schools and providers on either side of what it changed.
``touch`` records an owner in the session; one sorted statement draws them all just before the
commit (the locks in one order, held for the moment of the commit). Intake draws them in the
statements that write its postings (``drawing``), need owners before offer owners: after them
its transaction takes no lock another could hold but at its commit. The
row of ``EVERY_OWNER`` moves when a change names no rows: every owner's version reads it too.
Random, not counted, so two databases one process reads never share a version.
"""

from typing import Literal

from sqlalchemy import BigInteger, String, bindparam, event, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared.db import Base

OwnSide = Literal["need", "offer"]
EVERY_OWNER = ("", "")  # (side, owner) of a change that names no rows
DRAWN = "floor(random() * 9e18)::bigint"
_KEY = "own_versions_touched"


def drawing(owners: str) -> str:
    """The statement drawing the versions of the ``(side, owner_number)`` rows the query
    ``owners`` gives, locked in one order: on its own, or a CTE of a statement that writes what
    they version."""
    return f"""
    INSERT INTO own_versions (side, owner_number, version)
    SELECT v.side, v.owner_number, {DRAWN}
    FROM ({owners}) AS v(side, owner_number) ORDER BY 1, 2
    ON CONFLICT (side, owner_number) DO UPDATE SET version = EXCLUDED.version
"""  # noqa: S608 - constants and the caller's query


_DRAW = text(drawing("SELECT * FROM unnest(:sides, :owners)")).bindparams(
    bindparam("sides", type_=ARRAY(String)), bindparam("owners", type_=ARRAY(String))
)
_READ = text("""
    SELECT coalesce(string_agg(version::text, '.' ORDER BY side), '') FROM own_versions
    WHERE (side = :side AND owner_number = :owner) OR (side = '' AND owner_number = '')
""")


class OwnVersion(Base):
    """The version of one owner's postings of one side (``EVERY_OWNER``: of all)."""

    __tablename__ = "own_versions"

    side: Mapped[str] = mapped_column(String(5), primary_key=True)
    owner_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


def touch(session: Session, side: OwnSide, owner_number: str) -> None:
    """Move the version of ``owner_number``'s postings of ``side`` when ``session`` commits."""
    session.info.setdefault(_KEY, set()).add((side, owner_number))


async def own_version(session: AsyncSession, side: OwnSide, owner_number: str) -> str:
    """The version of ``owner_number``'s postings of ``side``: read it before what it versions."""
    connection = await session.connection()  # Core: a plain read, no ORM events
    found = await connection.scalar(_READ, {"side": side, "owner": owner_number})
    return found or ""


def _draw(session: Session) -> None:
    """Draw the versions the transaction touched, just before it commits."""
    touched = sorted(session.info.pop(_KEY, ()))
    if touched:
        sides, owners = zip(*touched, strict=True)
        session.execute(_DRAW, {"sides": list(sides), "owners": list(owners)})


def _forget(session: Session, *_: object) -> None:
    session.info.pop(_KEY, None)


event.listen(Session, "before_commit", _draw)
event.listen(Session, "after_rollback", _forget)
