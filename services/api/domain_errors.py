"""The one place where the API's routes turn the services' domain errors into HTTP answers.

Routes and pages call the same service functions and let these errors rise; ``/api`` answers
them here in English JSON, the pages (``pages.problems``) with the same status in Dutch.
"""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.api.errors import ErrorBody, field_problem
from services.api.own_postings import PostingClosed, PostingNotFound
from services.api.submissions import NotYourOrganisation
from services.notifier.notifications import NotificationNotFound
from services.review.actors import NotAReviewer, RegionNotNamed
from services.review.rules import DecisionRefused

DOMAIN_ERRORS = (
    DecisionRefused,
    NotAReviewer,
    NotYourOrganisation,
    RegionNotNamed,
    NotificationNotFound,
    PostingNotFound,
    PostingClosed,
)
# Refusals the caller can fix in the request (422 on that field); the others are about the
# match's state (409), or it is not the caller's to see (404).
INVALID_FIELD = {
    "invalid_decision": "decision",
    "reason_code_required": "reason_code",
    "reason_required": "reason",
    "invalid_step": "step",
    "cancel_reason_required": "reason",
    "invalid_rating": "score",
}


def refusal_status(refusal: DecisionRefused) -> int:
    """The status a refused decision answers with."""
    if refusal.code == "unknown_match":
        return 404
    return 422 if refusal.code in INVALID_FIELD else 409


def domain_status(error: Exception) -> int:
    """The status of any of ``DOMAIN_ERRORS``."""
    if isinstance(error, DecisionRefused):
        return refusal_status(error)
    if isinstance(error, NotAReviewer | NotYourOrganisation):
        return 403
    if isinstance(error, PostingClosed):
        return 409
    return 422 if isinstance(error, RegionNotNamed) else 404


def _detail(error: Exception) -> str:
    if isinstance(error, DecisionRefused):
        return error.message if error.code == "unknown_match" else f"{error.code}: {error.message}"
    if isinstance(error, NotificationNotFound):
        return "no such notification of yours"
    return str(error)


async def on_domain_error(_: Request, error: Exception) -> JSONResponse:
    """A domain error of ``/api``: its status with ``{"detail": ...}`` (422: the field)."""
    if isinstance(error, DecisionRefused) and error.code in INVALID_FIELD:
        problem = field_problem(INVALID_FIELD[error.code], error.message)
        body = ErrorBody(detail=problem.detail, errors=problem.errors)
    else:
        body = ErrorBody(detail=_detail(error))
    return JSONResponse(body.model_dump(mode="json"), status_code=domain_status(error))


def install_domain_errors(app: FastAPI) -> None:
    """Answer the services' domain errors."""
    for error in DOMAIN_ERRORS:
        app.add_exception_handler(error, on_domain_error)
