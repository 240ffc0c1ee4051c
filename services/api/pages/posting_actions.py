"""What a school or provider does to one of its own postings on the pages: withdraw it, change
it through its edit form (a new version of the posting), and for a need, ask why it has no
match yet. The same ``own_postings`` functions as
``DELETE`` and ``PUT /api/needs/{id}`` and ``/api/offers/{id}``: the outbox, and another
organisation's id answers 404 as if absent."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.errors import ApiValidationError
from services.api.need_misses import need_misses
from services.api.own_postings import (
    PostingClosed,
    PostingNotFound,
    own_posting,
    replace_own,
    withdraw_own,
)
from services.api.pages import posting_forms
from services.api.pages.access import SchoolPage, page_role
from services.api.pages.postings import PROVIDER, SCHOOL, PostingPages, refused_form
from services.api.pages.rendering import render
from services.api.posting_resources import PostingIdPath
from services.api.principal import Principal
from services.api.submissions import NotYourOrganisation


def posting_actions(pages: PostingPages) -> APIRouter:
    """Withdraw and edit, for one side."""
    router = APIRouter(include_in_schema=False)
    Owner = Annotated[Principal, page_role(pages.side.role)]  # noqa: N806

    @router.post(f"{pages.new}/{{posting_id}}/intrekken")
    async def withdraw(
        posting_id: PostingIdPath, session: SessionDep, principal: Owner
    ) -> Response:
        await withdraw_own(session, pages.side, principal, posting_id)
        return RedirectResponse(f"{pages.home}?ingetrokken={posting_id}", status_code=303)

    @router.get(f"{pages.new}/{{posting_id}}/bewerken", response_class=HTMLResponse)
    async def edit_form(
        request: Request, posting_id: PostingIdPath, session: SessionDep, principal: Owner
    ) -> Response:
        tracked = await own_posting(session, pages.side, principal, posting_id)
        if tracked.row is None:  # sent, not yet registered: nothing to fill the form with
            raise PostingNotFound(f"{pages.side.name} {posting_id} is not registered yet")
        if tracked.row.closed:
            raise PostingClosed(f"{pages.side.name} {posting_id} is {tracked.row.status}")
        values = posting_forms.form_values(pages.side, tracked.row.registered)
        return render(
            request, "posting_form.html", principal, pages=pages, values=values, errors={},
            action=f"{pages.new}/{posting_id}/bewerken", editing=posting_id,
        )  # fmt: skip

    @router.post(f"{pages.new}/{{posting_id}}/bewerken", response_class=HTMLResponse)
    async def edit(
        request: Request, posting_id: PostingIdPath, session: SessionDep, principal: Owner
    ) -> Response:
        form = await request.form()
        document = {**pages.build(form, principal), pages.side.id_field: posting_id}
        errors = posting_forms.field_errors(pages.side, document)
        if not errors:
            try:
                await replace_own(session, pages.side, principal, posting_id, document)
            except (ApiValidationError, NotYourOrganisation) as refused:
                errors = {posting_forms.GENERAL: str(getattr(refused, "detail", refused))}
        if errors:
            action = f"{pages.new}/{posting_id}/bewerken"
            return refused_form(request, principal, pages, form, errors, action)
        return RedirectResponse(f"{pages.home}?verstuurd={posting_id}", status_code=303)

    return router


def need_misses_page() -> APIRouter:
    """``/school/behoeften/{id}/waarom``: why a need of the school has no match yet."""
    router = APIRouter(include_in_schema=False)

    @router.get(f"{SCHOOL.new}/{{posting_id}}/waarom", response_class=HTMLResponse)
    async def why_not(
        request: Request, posting_id: PostingIdPath, session: SessionDep, principal: SchoolPage
    ) -> Response:
        found = await need_misses(session, principal, posting_id)
        return render(request, "need_misses.html", principal, pages=SCHOOL, found=found)

    return router


school_actions = posting_actions(SCHOOL)
misses_page = need_misses_page()
provider_actions = posting_actions(PROVIDER)
