"""No record can stall a consumer: a batch refused because of one record's data is split until
that record stands alone; it is rejected with the reason, the rest lands.

A consumer's batch is one transaction, and offsets are committed only after it (``durable``):
if the database refuses one record's data (a constraint, a value out of range), or an event
built from it does not fit its contract (pydantic's ``ValidationError``), the whole batch rolls
back and is redelivered, forever, taking every later record of its partitions with it.
``apply_isolating`` tells such an error from an outage (by its SQLSTATE class) and, for the first,
applies the halves of the batch in order, down to the one record the database refuses alone,
which goes to ``reject`` (in a transaction of its own). An error a batch causes only as a whole
(too many parameters, say) disappears on the way down, rejecting nothing. Any other error (the
database or broker unreachable, a serialisation failure or deadlock, a bug) is raised as before:
the batch is redelivered, nothing is lost.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from prometheus_client import Counter
from pydantic import ValidationError

from shared.text import storable

log = logging.getLogger(__name__)
Item = TypeVar("Item")
# 22: data exception (a value out of range, too long, malformed); 23: integrity constraint
# violation (foreign key, unique, check, not null); 54: program limit exceeded (an index row
# too large). Classes 08 (connection), 40 (serialisation failure, deadlock), 53 (resources) and
# 57 (operator intervention) are passing: the batch is retried whole.
RECORD_CLASSES = ("22", "23", "54")
REASON_LENGTH = 1000
WRAPPINGS = 4  # SQLAlchemy error -> DBAPI adapter error -> asyncpg error
ISOLATED = Counter(
    "schakel_records_isolated",
    "Records a consumer rejected or dead-lettered because their data was refused.",
)


def refusal_reason(error: BaseException) -> str | None:
    """Why the data of a batch was refused (``SQLSTATE: message`` from the database, the model
    and first error of a contract), or None when ``error`` is anything else. An exception group
    (side-by-side transactions) is a refusal only if each of its errors is one."""
    if isinstance(error, BaseExceptionGroup):
        reasons = [refusal_reason(inner) for inner in error.exceptions]
        return reasons[0] if all(reasons) else None
    if isinstance(error, ValidationError):
        first = next(iter(error.errors(include_url=False, include_input=False)), None)
        what = f"{first['loc']}: {first['msg']}" if first else "invalid"
        return storable(f"{error.title} {what}", REASON_LENGTH)
    sqlstate, message = _postgres_error(error)
    if sqlstate is None or not sqlstate.startswith(RECORD_CLASSES):
        return None
    return storable(f"{sqlstate}: {message}", REASON_LENGTH)


def _postgres_error(error: BaseException) -> tuple[str | None, str]:
    """The SQLSTATE and primary message of the PostgreSQL error behind ``error``: SQLAlchemy
    wraps the driver's exception (``orig``, with ``sqlstate``), which asyncpg's caused."""
    sqlstate, message = None, type(error).__name__  # never SQLAlchemy's text: it quotes rows
    seen: BaseException | None = error
    for _ in range(WRAPPINGS):
        if seen is None:
            break
        sqlstate = sqlstate or _text(getattr(seen, "sqlstate", None))
        message = _text(getattr(seen, "message", None)) or message
        seen = getattr(seen, "orig", None) or seen.__cause__
    return sqlstate, message


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


async def apply_isolating(
    items: Sequence[Item],
    apply: Callable[[Sequence[Item]], Awaitable[None]],
    reject: Callable[[Item, str], Awaitable[None]],
) -> None:
    """``apply(items)``; if the database refuses their data, the halves in order, recursively,
    down to the single items it refuses, each handed to ``reject`` with the reason."""
    try:
        await apply(items)
        return
    except Exception as error:
        reason = refusal_reason(error)
        if reason is None or not items:
            raise
    if len(items) == 1:
        log.warning("record rejected: the database refuses its data: %s", reason)
        ISOLATED.inc()
        await reject(items[0], reason)
        return
    middle = len(items) // 2
    await apply_isolating(items[:middle], apply, reject)
    await apply_isolating(items[middle:], apply, reject)
