"""School and provider pages: post a need or an offer through a form that checks as it goes,
and follow one's postings with their status and matches.

Built once per side like ``routes.postings.posting_router``; a posting goes through the same
``submissions.submit_posting`` (contract validation, ownership, outbox) as ``POST /api/needs``
and ``/api/offers``.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from services.api.deps import SessionDep
from services.api.errors import ApiValidationError
from services.api.pages import own_fragments, posting_forms
from services.api.pages.access import SignedIn, page_role
from services.api.pages.queue_fragments import CSRF_PLACEHOLDER
from services.api.pages.rendering import render, render_fragment
from services.api.pagination import PageRequest
from services.api.posting_resources import NEEDS, OFFERS, PostingResource
from services.api.principal import Principal
from services.api.submissions import NotYourOrganisation, submit_posting
from services.api.tracking import describe, list_own, waits_for_intake
from services.api.views import NeedView, OfferView
from services.intake import queries as intake_queries
from services.review.own_matches import OwnMatch, postings_with_matches
from services.review.own_offers import own_offers
from services.review.progress import NEED_PROGRESS_COLUMNS, Progress, need_progress
from services.review.rotation_plans import OFFER_COLUMNS, ShownOffer, Timeline
from shared import taxonomy
from shared.accounts import OrganisationRow

PAGE_SIZE = 10
MATCHES_SHOWN = 20


@dataclass(frozen=True, slots=True)
class PostingPages:
    """What differs between the school's and the provider's pages."""

    side: PostingResource
    home: str  # /school, /aanbieder
    new: str  # the form
    build: posting_forms.Builder
    noun: str  # behoefte, aanbod


SCHOOL = PostingPages(
    NEEDS, "/school", "/school/behoeften", posting_forms.need_document, "behoefte"
)
PROVIDER = PostingPages(
    OFFERS, "/aanbieder", "/aanbieder/aanbod", posting_forms.offer_document, "aanbod"
)


def side_of(pages: PostingPages) -> Literal["need", "offer"]:
    """Whether ``pages`` are a school's needs or a provider's offers."""
    return "need" if pages.side is NEEDS else "offer"


def refused_form(
    request: Request,
    principal: Principal,
    pages: PostingPages,
    form: FormData,
    errors: dict[str, str],
    action: str,
) -> Response:
    """The form again (422) with what was typed and a Dutch message at each wrong field."""
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    values["grades"] = form.getlist("grades")
    values["replacement_grades"] = form.getlist("replacement_grades")
    return render(
        request, "posting_form.html", principal, status_code=422, pages=pages,
        values=values, errors=errors, action=action,
    )  # fmt: skip


def posting_pages(pages: PostingPages) -> APIRouter:
    """The list, the form, the live check and the submission of one side."""
    router = APIRouter(include_in_schema=False)
    Owner = Annotated[Principal, page_role(pages.side.role)]  # noqa: N806

    @router.get(pages.home, response_class=HTMLResponse)
    async def own_postings(
        request: Request,
        session: SessionDep,
        principal: Owner,
        pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
        verstuurd: Annotated[str, Query(max_length=120)] = "",
        ingetrokken: Annotated[str, Query(max_length=120)] = "",
    ) -> Response:
        owner = None if principal.is_admin else principal.organisation_number
        postings_html = await own_fragments.postings(
            session, side_of(pages), owner, pagina, principal.csrf_token,
            lambda: _listed(session, principal, pages, pagina),
        )  # fmt: skip
        return render(
            request, "postings.html", principal, pages=pages, postings_html=postings_html,
            sent=verstuurd, withdrawn=ingetrokken,
        )  # fmt: skip

    @router.get(f"{pages.new}/nieuw", response_class=HTMLResponse)
    async def new_posting(request: Request, session: SessionDep, principal: Owner) -> Response:
        values = {"contact_name": principal.name, "contact_email": principal.email}
        values["postal_code"] = await own_postal_code(session, principal, side_of(pages)) or ""
        return render(
            request, "posting_form.html", principal, pages=pages, values=values, errors={},
            action=pages.new,
        )  # fmt: skip

    @router.post(f"{pages.new}/controle", response_class=HTMLResponse)
    async def check_posting(request: Request, principal: Owner) -> Response:
        form = await request.form()
        errors = posting_forms.field_errors(pages.side, pages.build(form, principal))
        return render(
            request, "posting_checks.html", principal, pages=pages,
            errors=posting_forms.touched(errors, form),
        )  # fmt: skip

    @router.post(pages.new, response_class=HTMLResponse)
    async def post_posting(request: Request, session: SessionDep, principal: Owner) -> Response:
        form = await request.form()
        document = pages.build(form, principal)
        document.setdefault(pages.side.id_field, posting_forms.new_posting_id(principal))
        errors = posting_forms.field_errors(pages.side, document)
        if not errors:
            try:
                await submit_posting(session, pages.side, principal, document)
            except (ApiValidationError, NotYourOrganisation) as refused:
                said = getattr(refused, "dutch", None) or getattr(refused, "detail", refused)
                errors = {posting_forms.GENERAL: str(said)}
        if errors:
            return refused_form(request, principal, pages, form, errors, pages.new)
        posted = document[pages.side.id_field]
        return RedirectResponse(f"{pages.home}?verstuurd={posted}", status_code=303)

    return router


async def _listed(
    session: AsyncSession, principal: Principal, pages: PostingPages, pagina: int
) -> own_fragments.Listed:
    """Page ``pagina`` of the caller's postings rendered, with ``CSRF_PLACEHOLDER`` for the
    token of its forms."""
    total, tracked = await list_own(session, pages.side, principal, PageRequest(pagina, PAGE_SIZE))
    views: list[NeedView | OfferView] = await describe(session, pages.side, tracked)
    ids = [t.posting_id for t in tracked]
    matches, progress, booked = await _review_state(session, principal, pages, ids)
    html = render_fragment(
        "_own_postings.html", pages=pages, views=views, matches=matches, timelines=booked,
        progress=progress, page=pagina, page_count=max(1, -(-total // PAGE_SIZE)),
        csrf_token=CSRF_PLACEHOLDER,
    )  # fmt: skip
    return own_fragments.Listed(html, waits_for_intake(views))


async def _review_state(
    session: AsyncSession, principal: Principal, pages: PostingPages, ids: list[str]
) -> tuple[dict[str, list[OwnMatch]], dict[str, Progress], dict[str, Timeline]]:
    """The matches, progress and (offers) timelines of the page's postings ``ids``: two
    statements for a provider's offers, one for a school's needs."""
    is_need = pages is SCHOOL
    shown = NEED_PROGRESS_COLUMNS if is_need else OFFER_COLUMNS
    found = await postings_with_matches(
        session, principal.actor, side_of(pages), ids, MATCHES_SHOWN, shown
    )
    if is_need:
        progress = {need_id: need_progress(*row) for need_id, row in found.rows.items()}
        return found.matches, progress, {}
    offers = await own_offers(session, [ShownOffer(*row) for row in found.rows.values()])
    return found.matches, offers.progress, offers.timelines


school_router = posting_pages(SCHOOL)
provider_router = posting_pages(PROVIDER)
lookup_router = APIRouter(include_in_schema=False)


async def own_postal_code(
    session: AsyncSession, principal: Principal, side: Literal["need", "offer"]
) -> str | None:
    """The organisation's postal code: the one it signed up with, else its last posting's."""
    organisation = await session.get(OrganisationRow, principal.organisation_id)
    if organisation is not None and organisation.postal_code:
        return organisation.postal_code
    if principal.organisation_number is None:
        return None
    return await intake_queries.latest_postal_code(session, side, principal.organisation_number)


@lookup_router.get("/postcode", response_class=HTMLResponse)
async def postal_code_lookup(
    request: Request,
    principal: SignedIn,
    postal_code: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """Locality and RTC region of a postal code, shown next to the field as one types."""
    place = taxonomy.places().get(postal_code.strip())
    return render(request, "postal_code.html", principal, place=place, code=postal_code.strip())
