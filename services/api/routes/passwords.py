"""Passwords over the API: ``POST /api/password-reset`` mails a one-use link (202 whether or not
the address exists), ``POST /api/password-reset/confirm`` sets the password with the link's token,
``POST /api/me/password`` changes one's own (current password required)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field

from services.api import passwords
from services.api.deps import ContextDep, CurrentUser, SessionDep
from services.api.errors import ERROR_RESPONSES, GONE, PRINTABLE, field_problem

router = APIRouter(prefix="/api", tags=["session"], responses=ERROR_RESPONSES)
Password = Annotated[str, Field(min_length=1, max_length=passwords.MAX_PASSWORD_CHARS)]


class ResetRequest(BaseModel):
    """Whose password to reset."""

    email: Annotated[str, Field(min_length=1, max_length=254, pattern=PRINTABLE)]


class ResetConfirmation(BaseModel):
    """The token of the mailed link and the new password."""

    token: Annotated[str, Field(min_length=1, max_length=200, pattern=PRINTABLE)]
    password: Password


class PasswordChange(BaseModel):
    """The current password and the new one."""

    current_password: Password
    new_password: Password


class Accepted(BaseModel):
    """What happens next."""

    detail: str


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
async def request_reset(
    request: Request, session: SessionDep, context: ContextDep, body: ResetRequest
) -> Accepted:
    """Mail a reset link if the address belongs to an active user; the answer is the same
    either way. 429 with Retry-After when asked too often."""
    await passwords.request_reset(request, session, context, body.email)
    return Accepted(detail="if the address is known, a reset link was mailed to it")


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT, responses=GONE)
async def confirm_reset(request: Request, session: SessionDep, body: ResetConfirmation) -> None:
    """Set the new password with the link's token (once); every session and token ends. 410 for
    a used, expired or unknown link."""
    try:
        user = await passwords.reset_password(session, body.token, body.password)
    except passwords.PasswordRefused as refused:
        raise field_problem("password", str(refused)) from refused
    if user is None:
        raise HTTPException(status.HTTP_410_GONE, "the link was used, has expired or is unknown")


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    session: SessionDep, principal: CurrentUser, body: PasswordChange
) -> None:
    """Change one's password; every other session and token ends (a browser session keeps
    itself, a bearer token is ended too)."""
    try:
        await passwords.change_password(
            session, principal.user_id, body.current_password, body.new_password,
            principal.session_id,
        )  # fmt: skip
    except passwords.PasswordRefused as refused:
        raise field_problem("new_password", str(refused)) from refused
