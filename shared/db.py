"""Database plumbing: the declarative base every table uses, engine and session factories."""

import dataclasses
import time
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    MetaData,
    SQLColumnExpression,
    String,
    any_,
    bindparam,
    event,
)
from sqlalchemy.exc import DisconnectionError, InvalidatePoolError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute
from sqlalchemy.util import await_only

# PostgreSQL's protocol carries at most 32,767 parameters per statement (asyncpg refuses more
# before sending): a multi-row INSERT of n rows of c columns must keep n * c below it.
MAX_PARAMETERS = 32_767

# Stable constraint names so Alembic migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every Schakel table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A pooled connection unused for longer than this is pinged before it is handed out again.
IDLE_PING_SECONDS = 10.0
_RETURNED = "returned_at"  # the connection record's ``info`` key: when it went back to the pool


def make_engine(
    database_url: str, pool_timeout: float = 30, ping_every_checkout: bool = True
) -> AsyncEngine:
    """An async engine with health-checked pooled connections; a caller waits ``pool_timeout``
    seconds for one at most (then ``sqlalchemy.exc.TimeoutError``).

    ``ping_every_checkout`` (the API, the command-line tools) pings a connection each time it is
    handed out, in one round trip (SQLAlchemy's own pre-ping costs three: its asyncpg dialect
    wraps the ping in BEGIN and ROLLBACK); one that fails is replaced with every older one.
    Callers that retry a failed transaction anyway (the consumers redeliver their batch, the
    outbox relay runs its next round) pass ``ping_every_checkout=False``: only a connection
    idle for over ``IDLE_PING_SECONDS`` is pinged (a server or firewall may have closed it).
    One the server dropped while in steady use (a restart) fails its first statement; SQLAlchemy
    then replaces every connection of the pool made before that, and the retry gets new ones."""
    engine = create_async_engine(
        database_url,
        pool_size=5,
        max_overflow=5,
        pool_timeout=pool_timeout,
    )
    if ping_every_checkout:
        event.listen(engine.sync_engine, "checkout", _ping)
    else:
        event.listen(engine.sync_engine, "checkin", _returned)
        event.listen(engine.sync_engine, "checkout", _ping_when_idle)
    return engine


def _ping(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Ping the connection handed out in one round trip (an empty statement outside any
    transaction); if it fails, replace it and every older one of the pool, as pre-ping does."""
    try:
        await_only(record.driver_connection.fetchrow(";"))
    except Exception as error:
        raise InvalidatePoolError(str(error)) from error


def _returned(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RETURNED] = time.monotonic()


def _ping_when_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Ping a connection that sat in the pool for long; one that fails is replaced (the pool
    retries the checkout on ``DisconnectionError``)."""
    returned = record.info.get(_RETURNED)
    if returned is not None and time.monotonic() - returned > IDLE_PING_SECONDS:
        try:
            dbapi_connection.ping()
        except Exception as error:
            raise DisconnectionError(str(error)) from error


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def one_of(column: SQLColumnExpression[str | None], values: Collection[str]) -> ColumnElement[bool]:
    """``column = ANY(:values)``: the values as one array parameter, so one SQL text (and one
    prepared statement) serves any number of them, where ``IN`` has a text per number and
    builds a parameter per value on every call."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(String)))


def columns_of(shape: type, *tables: type[Base]) -> tuple[InstrumentedAttribute[Any], ...]:
    """The columns named by the fields of the dataclass ``shape``, in its order, each from the
    first of ``tables`` with a column of that name: read as a Core row, ``shape(*row)`` (the
    class is the one list of what is read)."""
    return tuple(
        getattr(next(table for table in tables if field.name in table.__table__.c), field.name)
        for field in dataclasses.fields(shape)
    )
