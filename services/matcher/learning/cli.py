"""``python -m services.matcher.learning.cli train [--min-decisions N]``: train, evaluate,
publish."""

import asyncio
import json

import typer

from services.matcher.learning.service import Report, train_and_store
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
    """Train on every decision; publish the model if it beats the hand-set weights."""
    settings = LearningSettings()
    if min_decisions is not None:
        settings = settings.model_copy(update={"min_decisions": min_decisions})
    report = asyncio.run(_train(settings))
    typer.echo(json.dumps(report.metrics, indent=2))
    typer.echo(report.verdict)
    stored = "not stored" if report.version is None else f"stored as version {report.version}"
    typer.echo(f"{stored}, {'published' if report.published else 'not published'}")


async def _train(settings: LearningSettings) -> Report:
    engine = make_engine(settings.database_url)
    try:
        weights = MatcherSettings().weights
        return await train_and_store(make_sessionmaker(engine), settings, weights)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    cli()
