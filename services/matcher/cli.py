"""``python -m services.matcher.cli rematch [--region Limburg]``: recompute suggestions."""

import asyncio

import typer

from services.matcher.domain import Changes
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from shared.db import make_engine, make_sessionmaker
from shared.settings import Settings

cli = typer.Typer(help="Matcher maintenance commands.")


@cli.callback()
def main() -> None:
    """Matcher maintenance commands."""


@cli.command()
def rematch(
    region: str | None = typer.Option(None, help="RTC region, e.g. Limburg; default: all."),
) -> None:
    """Recompute the suggestions of every open need; publishes what changed."""
    changes = asyncio.run(_rematch(region))
    typer.echo(f"{len(changes.suggested)} suggested, {len(changes.withdrawn)} withdrawn")


async def _rematch(region: str | None) -> Changes:
    engine = make_engine(Settings().database_url)
    try:
        return await MatcherService(make_sessionmaker(engine), MatcherSettings()).rematch(region)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    cli()
