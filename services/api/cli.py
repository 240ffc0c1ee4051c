"""Accounts from the command line: ``python -m services.api.cli --help``.

``user create`` is idempotent: the same e-mail address again sets the password (and name), which
ends every session and token of that user. ``token create`` prints only the token, so scripts can
capture it; tokens expire (``--days``, default ``API_TOKEN_LIFETIME_DAYS``).
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import accounts, sign_ins
from services.api.accounts import AccountError, OrganisationRef
from services.api.settings import ApiSettings
from services.api.tables import ApiTokenRow
from shared import taxonomy, validation
from shared.accounts import ROLES, Role
from shared.db import make_engine, make_sessionmaker
from shared.settings import Settings

cli = typer.Typer(help=__doc__, no_args_is_help=True)
user_cli = typer.Typer(help="Users who sign in.", no_args_is_help=True)
token_cli = typer.Typer(help="Bearer tokens of users.", no_args_is_help=True)
cli.add_typer(user_cli, name="user")
cli.add_typer(token_cli, name="token")
Result = TypeVar("Result")


def _in_transaction(work: Callable[[AsyncSession], Awaitable[Result]]) -> Result:
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


def organisation_ref(
    role: Role,
    region: str | None,
    institution_number: str | None,
    enterprise_number: str | None,
    organisation_name: str | None,
) -> OrganisationRef:
    """The organisation a new user of ``role`` belongs to, role; BadParameter when wrong."""
    try:
        if role == "coordinator":
            regions = sorted({place.rtc_region for place in taxonomy.places().values()})
            if region not in regions:
                raise typer.BadParameter(f"--region must be one of {', '.join(regions)}")
            return OrganisationRef(rtc_region=region, name=organisation_name)
        if role == "school":
            number = validation.institution_number(institution_number or "")
            return OrganisationRef(number=number, name=organisation_name)
        if role == "provider":
            number = validation.enterprise_number(enterprise_number or "")
            return OrganisationRef(number=number, name=organisation_name)
    except ValueError as error:  # PydanticCustomError is a ValueError
        raise typer.BadParameter(str(error)) from error
    return OrganisationRef(name=organisation_name)


@user_cli.command("create")
def create_user(
    role: Annotated[str, typer.Option(help=" | ".join(ROLES))],
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    name: Annotated[str | None, typer.Option(help="The person's name.")] = None,
    region: Annotated[str | None, typer.Option(help="Coordinator: RTC region.")] = None,
    institution_number: Annotated[str | None, typer.Option(help="School: 6 digits.")] = None,
    enterprise_number: Annotated[str | None, typer.Option(help="Provider: 0403.170.701.")] = None,
    organisation_name: Annotated[str | None, typer.Option()] = None,
    digest: Annotated[str, typer.Option(help="Coordinator mail: immediate | daily.")] = "immediate",
) -> None:
    """Create a user (and its organisation when missing), or update the one with this e-mail."""
    if role not in ROLES or digest not in ("immediate", "daily"):
        raise typer.BadParameter(f"--role one of {', '.join(ROLES)}; --digest immediate|daily")
    ref = organisation_ref(role, region, institution_number, enterprise_number, organisation_name)

    async def work(session: AsyncSession) -> str:
        organisation = await accounts.ensure_organisation(session, role, ref)
        user = await accounts.save_user(session, role, organisation, email, password, name)
        user.digest = digest
        return f"user {user.email} ({user.role}, {organisation.name})"

    typer.echo(_in_transaction(work))


@user_cli.command("disable")
def disable_user(email: Annotated[str, typer.Option()]) -> None:
    """Disable a user: no more sign-ins; its sessions and tokens end."""

    async def work(session: AsyncSession) -> None:
        await accounts.disable_user(session, await accounts.user_by_email(session, email))

    _in_transaction(work)
    typer.echo(f"disabled {email}", err=True)


@token_cli.command("create")
def create_token(
    email: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    days: Annotated[int | None, typer.Option(min=1, help="Lifetime in days.")] = None,
) -> None:
    """Create a bearer token and print it (only it, on stdout); it is not shown again."""
    lifetime = timedelta(days=days or ApiSettings().token_lifetime_days)

    async def work(session: AsyncSession) -> str:
        user = await accounts.user_by_email(session, email)
        return await sign_ins.issue_token(session, user.id, name, lifetime)

    typer.echo(_in_transaction(work))


@token_cli.command("list")
def list_tokens(email: Annotated[str, typer.Option()]) -> None:
    """The live tokens of a user: id, name, created, expires (tab-separated)."""

    async def work(session: AsyncSession) -> list[ApiTokenRow]:
        return await sign_ins.tokens_of(session, (await accounts.user_by_email(session, email)).id)

    for token in _in_transaction(work):
        typer.echo(
            f"{token.id}\t{token.name}\t{token.created_at:%Y-%m-%d}\t{token.expires_at:%Y-%m-%d}"
        )


@token_cli.command("revoke")
def revoke_tokens(
    email: Annotated[str, typer.Option()],
    token_id: Annotated[
        int | None, typer.Option("--id", help="Only this token (token list).")
    ] = None,
) -> None:
    """Revoke one token of a user (``--id``), or every one."""

    async def work(session: AsyncSession) -> int:
        user = await accounts.user_by_email(session, email)
        return await sign_ins.revoke(session, ApiTokenRow, user.id, token_id)

    revoked = _in_transaction(work)
    typer.echo(f"revoked {revoked} token(s) of {email}", err=True)
    if token_id is not None and not revoked:
        raise typer.Exit(1)


if __name__ == "__main__":
    cli()
