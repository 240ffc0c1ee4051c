"""``python -m services.matcher.learning.cli train [--min-decisions N]``: withdraw the model in
force if its live decisions are worse than the weights', train, evaluate, publish;
``... status``: the ranking in force, since when, its measured lift, and the withdrawn models."""

import asyncio
import json

import typer

from services.matcher.learning.registry import published_models
from services.matcher.learning.service import Report, ranking_status, train_and_store
from services.matcher.learning.settings import LearningSettings
from services.matcher.settings import MatcherSettings
from shared.db import make_engine, make_sessionmaker

cli = typer.Typer(help="Learned ranking commands.")


@cli.callback()
def main() -> None:
    """Learned ranking commands."""


@cli.command("train")
def train_command(
    min_decisions: int | None = typer.Option(
        None, min=1, help="Fewest decisions to publish on; default LEARNING_MIN_DECISIONS."
    ),
) -> None:
    """Train on every decision; publish the model if its debiased lift over the ranking in force
    clears the margin (LEARNING_MIN_LIFT)."""
    settings = LearningSettings()
    if min_decisions is not None:
        settings = settings.model_copy(update={"min_decisions": min_decisions})
    report = asyncio.run(_train(settings))
    typer.echo(json.dumps(report.metrics, indent=2))
    typer.echo(report.verdict)
    stored = "not stored" if report.version is None else f"stored as version {report.version}"
    typer.echo(f"{stored}, {'published' if report.published else 'not published'}")
    if report.withdrawn is not None:
        typer.echo(report.withdrawn)


@cli.command("status")
def status_command() -> None:
    """The ranking in force and the published models, withdrawn ones with their reason."""
    for line in asyncio.run(_status(LearningSettings())):
        typer.echo(line)


async def _status(settings: LearningSettings) -> list[str]:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return ranking_status(await published_models(session))
    finally:
        await engine.dispose()


async def _train(settings: LearningSettings) -> Report:
    engine = make_engine(settings.database_url)
    try:
        weights = MatcherSettings().weights
        return await train_and_store(make_sessionmaker(engine), settings, weights)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    cli()
