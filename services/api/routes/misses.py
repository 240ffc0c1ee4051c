"""``GET /api/needs/{need_id}/misses``: why one of your needs has no match yet."""

from fastapi import APIRouter

from services.api.deps import SchoolUser, SessionDep
from services.api.errors import ERROR_RESPONSES
from services.api.need_misses import NeedMisses, need_misses
from services.api.posting_resources import PostingIdPath

router = APIRouter(prefix="/api/needs", tags=["needs"], responses=ERROR_RESPONSES)


@router.get("/{need_id}/misses", summary="Why one of your needs has no match yet")
async def read_misses(
    need_id: PostingIdPath, principal: SchoolUser, session: SessionDep
) -> NeedMisses:
    """The open offers the need may meet and, per rule, how many it kept out with what would
    help (a wider distance, other dates, other grades), computed by the matcher's own rules
    with one limit lifted at a time. Another organisation's need answers 404."""
    return await need_misses(session, principal, need_id)
