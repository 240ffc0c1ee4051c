"""Configure who is notified: ``python -m services.notifier.cli --help``."""

import asyncio
from typing import Annotated

import typer
from sqlalchemy.dialects.postgresql import insert

from services.notifier.tables import CoordinatorRow, OrganisationEndpointRow
from shared import taxonomy
from shared.db import make_engine, make_sessionmaker
from shared.settings import Settings

cli = typer.Typer(help=__doc__, no_args_is_help=True)


async def _save(
    table: type[CoordinatorRow | OrganisationEndpointRow], key: str, values: dict[str, str]
) -> None:
    engine = make_engine(Settings().database_url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            statement = insert(table).values(**values)
            await session.execute(
                statement.on_conflict_do_update(index_elements=[key], set_=values)
            )
    finally:
        await engine.dispose()


@cli.command()
def add_coordinator(
    rtc_region: str,
    name: str,
    email: str,
    digest: Annotated[str, typer.Option(help="immediate or daily")] = "immediate",
) -> None:
    """Add an RTC coordinator (or update the one with this e-mail address)."""
    regions = sorted({place.rtc_region for place in taxonomy.places().values()})
    if rtc_region not in regions or digest not in ("immediate", "daily"):
        raise typer.BadParameter(f"region one of {', '.join(regions)}; digest immediate|daily")
    values = {"rtc_region": rtc_region, "name": name, "email": email, "digest": digest}
    asyncio.run(_save(CoordinatorRow, "email", values))
    typer.echo(f"coordinator {email} ({rtc_region}, {digest})")


@cli.command()
def set_webhook(organisation_id: str, url: str, secret: str) -> None:
    """Send an organisation's notifications to ``url`` as well, signed with ``secret``."""
    values = {"organisation_id": organisation_id, "webhook_url": url, "webhook_secret": secret}
    asyncio.run(_save(OrganisationEndpointRow, "organisation_id", values))
    typer.echo(f"webhook for {organisation_id}: {url}")


if __name__ == "__main__":
    cli()
