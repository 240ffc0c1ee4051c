"""Database plumbing: the declarative base every table uses, engine and session factories."""

from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import ARRAY, ColumnElement, MetaData, SQLColumnExpression, String, any_, bindparam
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

Row = TypeVar("Row")
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


def make_engine(database_url: str, pool_timeout: float = 30) -> AsyncEngine:
    """An async engine with health-checked pooled connections; a caller waits ``pool_timeout``
    seconds for one at most (then ``sqlalchemy.exc.TimeoutError``)."""
    return create_async_engine(
        database_url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_timeout=pool_timeout
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def in_statements(rows: Sequence[Row], columns: int) -> Iterator[Sequence[Row]]:
    """``rows`` in slices small enough for one multi-row statement of ``columns`` each."""
    size = MAX_PARAMETERS // max(columns, 1)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def one_of(column: SQLColumnExpression[str | None], values: Collection[str]) -> ColumnElement[bool]:
    """``column = ANY(:values)``: the values as one array parameter, so one SQL text (and one
    prepared statement) serves any number of them, where ``IN`` has a text per number and
    builds a parameter per value on every call."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
