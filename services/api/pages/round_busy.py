"""A round refused for want of a slot (``services.api.round_slots``): 503 with Retry-After, a
Dutch page for ``/toewijzing`` and ``/rotatie``, JSON for ``/api``, like a full database pool."""

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, Response

from services.api.pages.problems import BUSY_RETRY_SECONDS, is_page
from services.api.pages.rendering import render
from services.api.round_slots import RoundsBusy

BUSY_PAGE = (
    "Er worden nu al andere toewijzingsrondes of rotatieplannen berekend. Probeer het over "
    "enkele seconden opnieuw."
)
BUSY_DETAIL = (
    "busy: other allocation rounds or rotation plans are being computed; "
    "retry after Retry-After seconds"
)


async def on_rounds_busy(request: Request, _: Exception) -> Response:
    """503 with Retry-After: a Dutch page, or JSON for ``/api``."""
    answer: Response
    if is_page(request):
        answer = render(
            request, "problem.html", None, status_code=503, summary=BUSY_PAGE, problems=[]
        )
    else:
        answer = JSONResponse({"detail": BUSY_DETAIL}, status_code=503)
    answer.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return answer


def install_round_answers(app: FastAPI) -> None:
    """Answer a round refused for want of a slot with 503."""
    app.add_exception_handler(RoundsBusy, on_rounds_busy)
