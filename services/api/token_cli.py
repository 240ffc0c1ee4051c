"""``python -m services.api.cli token ...``: bearer tokens of a user. They expire (``--days``,
default ``API_TOKEN_LIFETIME_DAYS``), are listed by id and revoked one by one or all at once."""

from datetime import timedelta
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import accounts, sign_ins
from services.api.cli_transaction import in_transaction
from services.api.settings import ApiSettings
from services.api.tables import ApiTokenRow

token_cli = typer.Typer(help="Bearer tokens of users.", no_args_is_help=True)


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

    typer.echo(in_transaction(work))


@token_cli.command("list")
def list_tokens(email: Annotated[str, typer.Option()]) -> None:
    """The live tokens of a user: id, name, created, expires (tab-separated)."""

    async def work(session: AsyncSession) -> list[ApiTokenRow]:
        return await sign_ins.tokens_of(session, (await accounts.user_by_email(session, email)).id)

    for token in in_transaction(work):
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

    revoked = in_transaction(work)
    typer.echo(f"revoked {revoked} token(s) of {email}", err=True)
    if token_id is not None and not revoked:
        raise typer.Exit(1)
