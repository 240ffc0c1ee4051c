"""One account use case from the command line: in a transaction of its own, an AccountError
printed and answered with exit code 1."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.accounts import AccountError
from shared.db import make_engine, make_sessionmaker
from shared.settings import Settings

Result = TypeVar("Result")


def in_transaction(work: Callable[[AsyncSession], Awaitable[Result]]) -> Result:
    """Run ``work`` in one transaction on ``DATABASE_URL``; exit 1 on an AccountError."""

    async def run() -> Result:
        engine = make_engine(Settings().database_url)
        try:
            async with make_sessionmaker(engine).begin() as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except AccountError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
