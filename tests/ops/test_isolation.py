"""Which errors a record's data causes, and how a batch is split down to it
(``shared.isolation``). Pure: the errors are built as SQLAlchemy builds them from asyncpg's; the
consumers' tests (tests/*/test_*_isolation.py) meet the real ones on the real database."""

from collections.abc import Sequence

import asyncpg
import pytest
from asyncpg.exceptions import PostgresError
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi
from sqlalchemy.exc import DBAPIError

from shared.contracts import FieldError
from shared.isolation import apply_isolating, refusal_reason

DBAPI = AsyncAdapt_asyncpg_dbapi(asyncpg)


def database_error(sqlstate: str, message: str) -> DBAPIError:
    """The error SQLAlchemy raises for PostgreSQL's ``sqlstate`` through asyncpg."""
    cause = PostgresError.new({"C": sqlstate, "M": message, "D": "Failing row contains (geheim)"})
    adapted = next(
        error_class(f"{type(cause)}: {cause}")
        for asyncpg_class, error_class in DBAPI._asyncpg_error_translate.items()
        if isinstance(cause, asyncpg_class)
    )
    adapted.sqlstate = cause.sqlstate
    adapted.__cause__ = cause
    return DBAPIError.instance("INSERT INTO t VALUES ($1)", ("ander-record",), adapted, DBAPI.Error)


CHECK = 'new row for relation "intake_needs" violates check constraint "ck_poison"'


@pytest.mark.parametrize(
    ("sqlstate", "message"),
    [
        ("23514", CHECK),
        ("23503", 'insert or update on table "t" violates foreign key constraint "fk"'),
        ("23505", 'duplicate key value violates unique constraint "uq"'),
        ("22001", "value too long for type character varying(64)"),
        ("22P02", 'invalid input syntax for type uuid: "x"'),
        ("54000", "index row size 9000 exceeds btree version 4 maximum 2704"),
    ],
)
def test_a_refusal_of_data_gives_its_sqlstate_and_primary_message_only(
    sqlstate: str, message: str
) -> None:
    reason = refusal_reason(database_error(sqlstate, message))

    assert reason == f"{sqlstate}: {message}"


def test_a_reason_never_quotes_the_rows_or_parameters_of_the_statement() -> None:
    reason = refusal_reason(database_error("23514", CHECK)) or ""

    assert "geheim" not in reason
    assert "ander-record" not in reason
    assert "INSERT" not in reason


def test_an_event_that_does_not_fit_its_contract_is_a_refusal_of_data() -> None:
    with pytest.raises(ValidationError) as raised:
        FieldError.model_validate({"field": "title", "message": ["geheim"]})

    assert refusal_reason(raised.value) == "FieldError ('message',): Input should be a valid string"


@pytest.mark.parametrize(
    "error",
    [
        database_error("40001", "could not serialize access due to concurrent update"),
        database_error("40P01", "deadlock detected"),
        database_error("08006", "connection failure"),
        database_error("57P01", "terminating connection due to administrator command"),
        database_error("53300", "too many connections for role"),
        ConnectionRefusedError("connect call failed"),
        OSError("network is unreachable"),
        TimeoutError(),
        ValueError("a bug"),
    ],
)
def test_an_outage_a_conflict_or_a_bug_is_not_blamed_on_a_record(error: Exception) -> None:
    assert refusal_reason(error) is None


def test_side_by_side_transactions_are_a_refusal_only_if_each_failed_on_data() -> None:
    refused = database_error("23514", CHECK)
    outage = database_error("40P01", "deadlock detected")

    assert refusal_reason(ExceptionGroup("groups", [refused, refused])) == f"23514: {CHECK}"
    assert refusal_reason(ExceptionGroup("groups", [refused, outage])) is None


class Consumer:
    """Applies parts of a batch as one transaction each; a part holding a refused record rolls
    back whole."""

    def __init__(self, refused: set[int], error: Exception | None = None) -> None:
        self.refused = refused
        self.error = error or database_error("23514", CHECK)
        self.committed: list[int] = []
        self.rejected: list[tuple[int, str]] = []
        self.transactions = 0

    async def apply(self, part: Sequence[int]) -> None:
        self.transactions += 1
        if self.refused & set(part):
            raise self.error
        self.committed += part

    async def reject(self, record: int, reason: str) -> None:
        self.rejected.append((record, reason))


async def test_each_refused_record_is_rejected_alone_and_the_rest_lands_in_order() -> None:
    consumer = Consumer(refused={4, 7})

    await apply_isolating(range(10), consumer.apply, consumer.reject)

    assert consumer.committed == [0, 1, 2, 3, 5, 6, 8, 9]
    assert consumer.rejected == [(4, f"23514: {CHECK}"), (7, f"23514: {CHECK}")]


async def test_a_clean_batch_is_one_transaction() -> None:
    consumer = Consumer(refused=set())

    await apply_isolating(range(500), consumer.apply, consumer.reject)

    assert consumer.committed == list(range(500))
    assert consumer.transactions == 1
    assert consumer.rejected == []


async def test_one_refused_record_among_512_costs_a_few_transactions_not_one_per_record() -> None:
    consumer = Consumer(refused={300})

    await apply_isolating(range(512), consumer.apply, consumer.reject)

    assert consumer.committed == [record for record in range(512) if record != 300]
    assert consumer.transactions == 1 + 2 * 9  # the batch, then both halves on each of 9 levels


async def test_an_error_of_the_batch_as_a_whole_goes_away_when_split_and_rejects_nothing() -> None:
    consumer = Consumer(refused=set())
    too_big = database_error("54000", "too many rows in one statement")

    async def apply(part: Sequence[int]) -> None:
        if len(part) > 3:
            raise too_big
        await consumer.apply(part)

    await apply_isolating(range(10), apply, consumer.reject)

    assert consumer.committed == list(range(10))
    assert consumer.rejected == []


async def test_an_outage_is_raised_so_the_batch_is_redelivered_whole() -> None:
    outage = database_error("08006", "connection failure")
    consumer = Consumer(refused={4}, error=outage)

    with pytest.raises(DBAPIError) as raised:
        await apply_isolating(range(10), consumer.apply, consumer.reject)

    assert raised.value is outage
    assert consumer.committed == []
    assert consumer.rejected == []
    assert consumer.transactions == 1
