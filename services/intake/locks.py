"""Advisory locks that serialise intake transactions on posting ids, stored or not.

The statement that takes them also has the rest of the transaction run on generic plans: a
batch's statements take arrays, whose lengths PostgreSQL cannot know before it sees them, so it
would plan its read (``store``) anew at every execution, which costs it more than running it;
one plan serves every batch (each looks its rows up by key)."""

import hashlib
from collections.abc import Iterable

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, INTEGER
from sqlalchemy.ext.asyncio import AsyncSession

# Advisory locks of intake on posting ids: (LOCK_CLASS, 32-bit hash of the id).
LOCK_CLASS = 0x1A7A
_LOCK = text(
    "SELECT pg_advisory_xact_lock(:lock_class, key), "
    "set_config('plan_cache_mode', 'force_generic_plan', true) FROM unnest(:keys) AS key"
).bindparams(bindparam("keys", type_=ARRAY(INTEGER)))


async def lock_postings(session: AsyncSession, posting_keys: Iterable[str]) -> None:
    """Serialise intake transactions on these postings (``need:<id>``, ``offer:<id>``), also on
    ones not stored yet: a submission and a withdrawal of a new posting handled by two instances
    at once.

    Locks are taken in one order (sorted keys) so two batches cannot deadlock.
    """
    keys = sorted({_lock_key(posting_key) for posting_key in posting_keys})
    if keys:
        connection = await session.connection()
        await connection.execute(_LOCK, {"lock_class": LOCK_CLASS, "keys": keys})


def _lock_key(posting_key: str) -> int:
    return int.from_bytes(hashlib.sha256(posting_key.encode()).digest()[:4], "big", signed=True)
