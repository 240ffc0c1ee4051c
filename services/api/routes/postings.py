"""``/api/needs`` and ``/api/offers``: post, replace, withdraw and follow one's own postings.

Both are built by ``posting_router``; only the ``PostingResource`` differs. Another
organisation's posting answers 404 exactly like an unknown id.
"""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.deps import SessionDep, role_required
from services.api.errors import ERROR_RESPONSES, field_problem
from services.api.idempotency import Answer, answer_once, request_digest
from services.api.openapi import contract_body
from services.api.own_postings import own_posting, replace_own, withdraw_own
from services.api.own_remembered import remembered
from services.api.pagination import PageDep, PageRequest
from services.api.posting_resources import NEEDS, OFFERS, PostingIdPath, PostingResource
from services.api.principal import Principal
from services.api.submissions import submit_posting
from services.api.tracking import describe, list_own, waits_for_intake
from services.api.views import NeedView, OfferView, Page

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Retrying with the same key returns the first answer and sends nothing new.",
    ),
]


async def json_object(request: Request) -> dict[str, Any]:
    """The request body, which must be a JSON object."""
    try:
        document = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise field_problem("(body)", f"not valid JSON: {error}") from error
    if not isinstance(document, dict):
        raise field_problem("(body)", "the body must be a JSON object")
    return document


async def submit(
    session: AsyncSession,
    side: PostingResource,
    principal: Principal,
    document: dict[str, Any],
) -> Answer:
    """Validate a posting as intake will, check the caller owns it, queue it: 202."""
    posted = await submit_posting(session, side, principal, document)
    return status.HTTP_202_ACCEPTED, side.accepted_answer(posted)


def posting_router(side: PostingResource) -> APIRouter:
    """The routes of one side (needs or offers)."""
    router = APIRouter(prefix=f"/api/{side.plural}", tags=[side.plural], responses=ERROR_RESPONSES)
    owner = role_required(side.role, "admin")
    body_doc = contract_body(side.submitted)

    @router.post(
        "",
        status_code=202,
        response_model=side.accepted,
        openapi_extra=body_doc,
        summary=f"Post a {side.name} (a known id replaces it)",
    )
    async def post_posting(
        request: Request,
        principal: Annotated[Principal, owner],
        session: SessionDep,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        document = await json_object(request)
        digest = request_digest(request.method, request.url.path, document)
        return await answer_once(
            session, principal, key, digest, lambda: submit(session, side, principal, document)
        )

    @router.put(
        "/{posting_id}",
        status_code=202,
        response_model=side.accepted,
        openapi_extra=body_doc,
        summary=f"Replace one of your {side.plural}",
    )
    async def replace_posting(
        posting_id: PostingIdPath,
        request: Request,
        principal: Annotated[Principal, owner],
        session: SessionDep,
    ) -> JSONResponse:
        document = await json_object(request)
        posted = await replace_own(session, side, principal, posting_id, document)
        return JSONResponse(side.accepted_answer(posted), status_code=202)

    @router.delete(
        "/{posting_id}",
        status_code=202,
        response_model=side.accepted,
        summary=f"Withdraw one of your {side.plural}",
    )
    async def withdraw_posting(
        posting_id: PostingIdPath, principal: Annotated[Principal, owner], session: SessionDep
    ) -> JSONResponse:
        await withdraw_own(session, side, principal, posting_id)
        return JSONResponse(side.accepted_answer(posting_id), status_code=202)

    @router.get("", response_model=Page[side.view], summary=f"Your {side.plural}")  # type: ignore[name-defined]
    async def list_postings(
        principal: Annotated[Principal, owner], session: SessionDep, page: PageDep
    ) -> dict[str, Any]:
        owner = None if principal.is_admin else principal.organisation_number
        total, items = await remembered(
            session, side.name, owner, ("api", page.page, page.page_size),
            lambda: _listed(session, side, principal, page), _waiting,
        )  # fmt: skip
        return {"items": items, "page": page.page, "page_size": page.page_size, "total": total}

    @router.get("/{posting_id}", response_model=side.view, summary=f"One of your {side.plural}")
    async def read_posting(
        posting_id: PostingIdPath, principal: Annotated[Principal, owner], session: SessionDep
    ) -> Any:
        tracked = await own_posting(session, side, principal, posting_id)
        return (await describe(session, side, [tracked]))[0]

    return router


async def _listed(
    session: AsyncSession, side: PostingResource, principal: Principal, page: PageRequest
) -> tuple[int, list[NeedView | OfferView]]:
    total, tracked = await list_own(session, side, principal, page)
    return total, await describe(session, side, tracked)


def _waiting(listed: tuple[int, list[NeedView | OfferView]]) -> bool:
    return waits_for_intake(listed[1])


needs_router = posting_router(NEEDS)
offers_router = posting_router(OFFERS)
