"""``/docs`` (Swagger UI from the npm package ``swagger-ui-dist``, served like the pages' other
libraries, so it works offline and under the pages' CSP) and ``/favicon.ico`` for browsers that
ask for it without reading the pages' icon link."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.pages.rendering import render

router = APIRouter(include_in_schema=False)
FAVICON = "/static/favicon.svg"


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> Response:
    """The API's documentation, read from ``/openapi.json`` in the browser."""
    return render(request, "api_docs.html", None)


@router.get("/favicon.ico")
async def favicon() -> Response:
    """The icon is an SVG."""
    return RedirectResponse(FAVICON, status_code=301)
