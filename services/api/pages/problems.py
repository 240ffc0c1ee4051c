"""What a page answers when a request cannot be served: a Dutch page with the status, never the
API's English JSON. ``/api`` and the operations endpoints keep their JSON answers.

Every value a page reads (query, path, form) is plain text: a control character (NUL and the
like; tab and line breaks are fine in a form's text) is refused here, before any page or the
database sees it, as a 422 like any other invalid field.
"""

from collections.abc import Iterable

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from services.api.domain_errors import INVALID_FIELD, domain_status, on_domain_error
from services.api.errors import on_request_validation
from services.api.field_messages import field_message, field_name
from services.api.middleware import BASE_HEADERS
from services.api.own_postings import PostingClosed
from services.api.pages.dutch import REFUSALS
from services.api.pages.rendering import is_htmx, render
from services.api.submissions import OrganisationNotApproved
from services.review.actors import NotAReviewer
from services.review.rules import DecisionRefused

MACHINE_PATHS = ("/api", "/docs", "/openapi.json", "/health", "/ready", "/metrics")
_CONTROL = {chr(code) for code in (*range(0x20), 0x7F)}
_FORM_WHITESPACE = {"\t", "\n", "\r"}
BY_STATUS = {
    400: "Dit verzoek kunnen we niet lezen.",
    403: "U hebt hiervoor geen toegang. Kwam u van een formulier, laad de pagina dan opnieuw.",
    404: "Deze pagina bestaat niet (meer).",
    405: "Deze pagina kan zo niet gebruikt worden.",
    409: "Dit kan niet meer in de huidige toestand.",
    413: "Het verzoek is te groot.",
    422: "Enkele velden zijn niet in orde.",
    500: "Er ging bij ons iets mis. Probeer het later opnieuw; blijft het misgaan, meld het dan "
    "aan uw RTC-coördinator.",
    503: "Schakel is even erg druk. Probeer het over enkele seconden opnieuw.",
}
HEADINGS = {403: "Geen toegang", 404: "Niet gevonden", 500: "Er ging iets mis"}
BUSY_RETRY_SECONDS = 5


def is_page(request: Request) -> bool:
    """Whether ``request`` is for a page (not the JSON API or an operations endpoint)."""
    return not request.url.path.startswith(MACHINE_PATHS)


async def plain_input(request: Request) -> None:
    """Dependency of every page: refuse control characters in any query, path or form value."""
    found = _controlled("query", request.query_params.multi_items(), _CONTROL)
    found += _controlled("path", request.path_params.items(), _CONTROL)
    if request.method == "POST":
        form = (await request.form()).multi_items()  # files are not text: skipped
        found += _controlled("form", form, _CONTROL - _FORM_WHITESPACE)
    if found:
        raise RequestValidationError(found)


def _controlled(
    where: str, values: Iterable[tuple[str, object]], refused: set[str]
) -> list[dict[str, object]]:
    return [
        {"type": "control_characters", "loc": (where, name), "msg": "control characters"}
        for name, value in values
        if isinstance(value, str) and not refused.isdisjoint(value)
    ]


async def on_invalid_request(request: Request, error: Exception) -> Response:
    """A page's invalid field: 422 with each field's Dutch message (``/api``: its JSON)."""
    assert isinstance(error, RequestValidationError)
    if not is_page(request):
        return await on_request_validation(request, error)
    problems = [(field_name(e).split(".")[-1], field_message(e)) for e in error.errors()]
    return _problem_page(request, 422, problems)


async def on_http_error(request: Request, error: Exception) -> Response:
    """A page that is not there, too large a request, ...: a Dutch page with the status."""
    assert isinstance(error, HTTPException)
    if not is_page(request) or error.status_code < 400:
        return await http_exception_handler(request, error)
    return _problem_page(request, error.status_code, [])


async def on_busy(request: Request, _: Exception) -> Response:
    """Every database connection stayed taken for the pool's whole wait: 503 with Retry-After
    (a Dutch page, or JSON for ``/api``) instead of a 500."""
    if is_page(request):
        answer = _problem_page(request, 503, [])
    else:
        detail = "busy: every database connection is in use; retry after Retry-After seconds"
        answer = JSONResponse({"detail": detail}, status_code=503)
    answer.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return answer


async def on_server_error(request: Request, _: Exception) -> Response:
    """An unexpected failure: a Dutch 500 page (``/api``: its JSON), with the security headers
    the middleware would have added (the answer leaves outside it), never the trace."""
    if is_page(request):
        answer = _problem_page(request, 500, [])
    else:
        answer = JSONResponse({"detail": "internal server error"}, status_code=500)
    for name, value in BASE_HEADERS:
        answer.headers[name.decode()] = value.decode()
    answer.headers["cache-control"] = "no-store"
    return answer


def page_status(error: Exception) -> int:
    """The status a page answers a domain error with: a refused decision is a field to fix
    (422) or the match's state (409), never a missing page."""
    if isinstance(error, DecisionRefused):
        return 422 if error.code in INVALID_FIELD else 409
    return domain_status(error)


async def on_domain_refusal(request: Request, error: Exception) -> Response:
    """A service's domain error on a page: a Dutch page with its status (``/api``: its JSON)."""
    if not is_page(request):
        return await on_domain_error(request, error)
    return _problem_page(request, page_status(error), [], _reason(error))


def _reason(error: Exception) -> str:
    """The Dutch reason of a refusal the services name (nothing: the status says it)."""
    if isinstance(error, DecisionRefused):
        return REFUSALS.get(error.code, "")
    if isinstance(error, OrganisationNotApproved):
        return error.dutch
    if isinstance(error, PostingClosed):
        return REFUSALS["posting_closed"]
    return REFUSALS["not_a_reviewer"] if isinstance(error, NotAReviewer) else ""


def _problem_page(
    request: Request, status: int, problems: list[tuple[str, str]], summary: str = ""
) -> Response:
    """The whole problem page, or only its message where htmx swaps a part of a page."""
    summary = summary or BY_STATUS.get(status, "Dit verzoek kan niet uitgevoerd worden.")
    template = "_problem.html" if is_htmx(request) else "problem.html"
    heading = HEADINGS.get(status, "Niet gelukt")
    return render(
        request,
        template,
        None,
        status_code=status,
        summary=summary,
        problems=problems,
        heading=heading,
    )
