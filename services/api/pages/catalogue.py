"""``/catalogus``: the public catalogue of open offers, on the same query as ``/api/catalogue``;
"Volgende" and "Vorige" follow its cursors (``na``, ``voor``), ``pagina`` is the number shown.
The search form and its results hold nothing personal: rendered once per page of the catalogue
and what was asked, remembered with that page (``catalogue_views.shown_page``)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from services.api.catalogue_views import CataloguePage, cursor, shown_page
from services.api.deps import ContextDep, OptionalUser, SessionDep
from services.api.pages.rendering import REGIONS, is_htmx, render, render_fragment
from services.intake.catalogue import CatalogueFilter, PageAt
from shared import taxonomy

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 12
Choice = Annotated[str, Query(max_length=40)]
CursorText = Annotated[str | None, Query(max_length=200)]


def _known(value: str, known: tuple[str, ...]) -> str | None:
    """An empty or unknown choice of the search form means: all."""
    return value if value in known else None


@router.get("/catalogus", response_class=HTMLResponse)
async def catalogue_page(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    principal: OptionalUser,
    regio: Choice = "",
    vakgebied: Choice = "",
    graad: Choice = "",
    soort: Choice = "",
    q: Annotated[str, Query(max_length=100)] = "",
    pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
    na: CursorText = None,
    voor: CursorText = None,
) -> HTMLResponse:
    """Open offers (no contact data), searchable; htmx swaps only the results."""
    wanted = CatalogueFilter(
        region=_known(regio, REGIONS),
        field=_known(vakgebied, tuple(taxonomy.field_domains())),
        kind=_known(soort, taxonomy.kinds()),
        grade=_known(graad, taxonomy.grades()),
        text=q.strip() or None,
    )
    after, before = cursor(na, wanted), cursor(voor, wanted)  # not one: the first page
    if after is None and before is None and (na or voor):
        pagina = 1
    at = PageAt(PAGE_SIZE, after, before, offset=0 if after or before else (pagina - 1) * PAGE_SIZE)
    chosen = {"regio": regio, "vakgebied": vakgebied, "graad": graad, "soort": soort, "q": q}
    template = "catalogue_results.html" if is_htmx(request) else "catalogue_search.html"

    def show(found: CataloguePage) -> str:
        pages = max(1, -(-found.total // PAGE_SIZE))
        return render_fragment(template, found=found, chosen=chosen, page=pagina, pages=pages)

    limit = context.settings.exact_count_limit
    shown_as = (template, *chosen.values())
    shown = await shown_page(session, wanted, at, pagina, limit, show, shown_as)
    if is_htmx(request):
        return HTMLResponse(shown)
    return render(request, "catalogue.html", principal, shown=Markup(shown))  # noqa: S704
