"""Sign-in for browsers: ``POST /api/session`` starts a server-side session and sets its cookie,
``DELETE`` ends it on the server and clears the cookie."""

import json
from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ValidationError

from services.api.browser_sessions import Credentials, close_session, open_session
from services.api.deps import ContextDep, CurrentUser, OptionalUser, SessionDep
from services.api.errors import ERROR_RESPONSES, ApiValidationError, field_problem
from services.api.principal import Principal
from shared.contracts import to_field_errors

router = APIRouter(prefix="/api", tags=["session"], responses=ERROR_RESPONSES)


class Me(BaseModel):
    """The signed-in user; ``csrf_token`` goes with every unsafe request of a cookie session."""

    user_id: int
    email: str
    name: str
    role: str
    organisation_name: str
    organisation_number: str | None
    rtc_region: str | None
    csrf_token: str | None

    @classmethod
    def of(cls, principal: Principal) -> "Me":
        """The answer for ``principal``."""
        return cls(
            user_id=principal.user_id,
            email=principal.email,
            name=principal.name,
            role=principal.role,
            organisation_name=principal.organisation_name,
            organisation_number=principal.organisation_number,
            rtc_region=principal.rtc_region,
            csrf_token=principal.csrf_token,
        )


_CREDENTIALS_SCHEMA = {"schema": Credentials.model_json_schema()}
SIGN_IN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": _CREDENTIALS_SCHEMA,
            "application/x-www-form-urlencoded": _CREDENTIALS_SCHEMA,
        },
    }
}


async def _credentials(request: Request) -> Credentials:
    try:
        if request.headers.get("content-type", "").startswith("application/json"):
            document = await request.json()
        else:
            document = dict(await request.form())
        return Credentials.model_validate(document)
    except json.JSONDecodeError as error:
        raise field_problem("(body)", f"not valid JSON: {error}") from error
    except ValidationError as error:
        raise ApiValidationError(to_field_errors(error.errors())) from error


@router.post("/session", openapi_extra=SIGN_IN_BODY)
async def sign_in(
    request: Request, response: Response, session: SessionDep, context: ContextDep
) -> Me:
    """Sign in; sets the HttpOnly session cookie and answers the user with its CSRF token."""
    credentials = await _credentials(request)
    return Me.of(await open_session(request, response, session, context, credentials))


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(
    response: Response, principal: OptionalUser, session: SessionDep, context: ContextDep
) -> None:
    """Sign out: the session ends on the server, its cookie is cleared (cookie sessions need the
    CSRF token here too; a bearer token stays valid: revoke it under /api/sign-ins)."""
    await close_session(response, session, context, principal)


@router.get("/me")
async def me(principal: CurrentUser) -> Me:
    """The signed-in user; for a cookie session with the CSRF token to send along."""
    return Me.of(principal)
