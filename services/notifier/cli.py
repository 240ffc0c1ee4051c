"""Configure where notifications go: ``python -m services.notifier.cli --help``.

Coordinators are users of their region's RTC: ``python -m services.api.cli user create --role
coordinator --region Limburg ...``.
"""

import asyncio

import typer
from sqlalchemy.dialects.postgresql import insert

from services.notifier.tables import OrganisationEndpointRow
from shared.db import make_engine, make_sessionmaker
from shared.settings import Settings

cli = typer.Typer(help=__doc__, no_args_is_help=True)


async def _save_webhook(values: dict[str, str]) -> None:
    engine = make_engine(Settings().database_url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            statement = insert(OrganisationEndpointRow).values(**values)
            await session.execute(
                statement.on_conflict_do_update(index_elements=["organisation_id"], set_=values)
            )
    finally:
        await engine.dispose()


@cli.command()
def set_webhook(organisation_id: str, url: str, secret: str) -> None:
    """Send an organisation's notifications to ``url`` as well, signed with ``secret``."""
    values = {"organisation_id": organisation_id, "webhook_url": url, "webhook_secret": secret}
    asyncio.run(_save_webhook(values))
    typer.echo(f"webhook for {organisation_id}: {url}")


@cli.callback()
def main() -> None:
    """Configure where notifications go."""


if __name__ == "__main__":
    cli()
