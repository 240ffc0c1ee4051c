"""Accounts from the command line: ``python -m services.api.cli --help``.

``user create`` is idempotent: the same e-mail address again sets the password (and name), which
ends every session and token of that user. ``token create`` prints only the token, so scripts can
capture it; tokens expire (``--days``, default ``API_TOKEN_LIFETIME_DAYS``).
"""

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import accounts
from services.api.accounts import OrganisationRef
from services.api.cli_transaction import in_transaction
from services.api.token_cli import token_cli
from shared import mail_choices, taxonomy, validation
from shared.accounts import ROLES, Role

cli = typer.Typer(help=__doc__, no_args_is_help=True)
user_cli = typer.Typer(help="Users who sign in.", no_args_is_help=True)
cli.add_typer(user_cli, name="user")
cli.add_typer(token_cli, name="token")


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
    digest: Annotated[
        str, typer.Option(help="Coordinator mail about suggestions: immediate | daily.")
    ] = "immediate",
) -> None:
    """Create a user (and its organisation when missing), or update the one with this e-mail."""
    if role not in ROLES or digest not in ("immediate", "daily"):
        raise typer.BadParameter(f"--role one of {', '.join(ROLES)}; --digest immediate|daily")
    ref = organisation_ref(role, region, institution_number, enterprise_number, organisation_name)

    async def work(session: AsyncSession) -> str:
        organisation = await accounts.ensure_organisation(session, role, ref)
        user = await accounts.save_user(session, role, organisation, email, password, name)
        if role == "coordinator":
            await mail_choices.choose(session, user.id, role, {"suggestion": digest})
        return f"user {user.email} ({user.role}, {organisation.name})"

    typer.echo(in_transaction(work))


@user_cli.command("disable")
def disable_user(email: Annotated[str, typer.Option()]) -> None:
    """Disable a user: no more sign-ins; its sessions and tokens end."""

    async def work(session: AsyncSession) -> None:
        await accounts.disable_user(session, await accounts.user_by_email(session, email))

    in_transaction(work)
    typer.echo(f"disabled {email}", err=True)


if __name__ == "__main__":
    cli()
