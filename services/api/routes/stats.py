"""``/api/stats/shortage``: open needs that no accepted match serves yet (the shortage radar)."""

from fastapi import APIRouter
from pydantic import BaseModel

from services.api.deps import CoordinatorUser, SessionDep
from services.api.errors import ERROR_RESPONSES
from services.review.stats import ShortageCell, overview

router = APIRouter(prefix="/api/stats", tags=["stats"], responses=ERROR_RESPONSES)


class ShortageView(BaseModel):
    """Open needs without an accepted match, per RTC region x field x grade; grades 1 and 2 are
    always present for every region and field listed."""

    cells: list[ShortageCell]


@router.get("/shortage", response_model=ShortageView)
async def shortage_radar(session: SessionDep, principal: CoordinatorUser) -> ShortageView:
    """A coordinator's region, or every region for the admin."""
    figures = await overview(session, principal.actor.region_shown(None))
    return ShortageView(cells=figures.shortage)
