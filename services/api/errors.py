"""Error answers: every 422 lists its field messages, every error is ``{"detail": ...}``."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.contracts import FieldError

# Text a caller sends in a query, path or sign-in: no control characters (PostgreSQL refuses NUL).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
# Where FastAPI found a bad value; the field path a caller knows starts after it (body, query...).
_LOCATIONS = ("body", "query", "path", "header", "cookie")


class ErrorBody(BaseModel):
    """What every error answer carries; ``errors`` only on 422."""

    detail: str
    errors: list[FieldError] = []


class ApiValidationError(Exception):
    """A request that is well-formed HTTP but not acceptable: answered 422 with field messages."""

    def __init__(self, errors: list[FieldError], detail: str = "the request is not valid") -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


def field_problem(field: str, message: str) -> ApiValidationError:
    """A 422 about one field."""
    return ApiValidationError([FieldError(field=field, message=message)])


# Documented on every router so the OpenAPI document describes the answers actually given.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        401: "Not signed in, or the token is unknown or revoked.",
        403: "Not allowed (role, ownership, CSRF token, sign-in from another site's page).",
        404: "No such resource of yours.",
        409: "The resource is not in a state that allows this (e.g. already withdrawn).",
        413: "Request body too large.",
        422: "Invalid request; ``errors`` lists each field and what is wrong.",
        429: "Too many failed sign-ins; try again after Retry-After seconds.",
    }.items()
}

# A mailed one-use link (password reset, address check) that was used, expired or never existed.
GONE: dict[int | str, dict[str, Any]] = {
    410: {"model": ErrorBody, "description": "The link was used, has expired or is unknown."}
}


def _validation_answer(detail: str, errors: list[FieldError]) -> JSONResponse:
    body = ErrorBody(detail=detail, errors=errors)
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


async def _on_api_validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiValidationError)
    return _validation_answer(error.detail, error.errors)


def _request_field_error(error: Any) -> FieldError:
    location = [str(part) for part in error["loc"]]
    if location[:1] and location[0] in _LOCATIONS:
        location = location[1:]
    return FieldError(field=".".join(location) or "(request)", message=error["msg"])


async def on_request_validation(_: Request, error: Exception) -> JSONResponse:
    """A request FastAPI found invalid: 422 with each field and what is wrong."""
    assert isinstance(error, RequestValidationError)
    errors = [_request_field_error(e) for e in error.errors()]
    return _validation_answer("the request is not valid", errors)


def install_error_handlers(app: FastAPI) -> None:
    """Answer validation errors in the documented shape."""
    app.add_exception_handler(ApiValidationError, _on_api_validation)
    app.add_exception_handler(RequestValidationError, on_request_validation)
