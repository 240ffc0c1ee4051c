"""``GET /health``: the process is alive and answering."""

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Liveness answer."""

    status: str = "ok"


@router.get("/health")
async def health() -> Health:
    """Alive."""
    return Health()
