"""``GET /health`` (alive), ``/ready`` (database at the migrations' head, broker reachable) and
``/metrics`` (Prometheus text format)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from pydantic import BaseModel

from shared.health import failures

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Liveness answer."""

    status: str = "ok"


@router.get("/health")
async def health() -> Health:
    """Alive."""
    return Health()


@router.get("/ready", response_model=None)
async def ready(request: Request) -> JSONResponse:
    """Ready to serve: 200, or 503 with what failed."""
    failed = await failures(request.app.state.ready_checks)
    body: dict[str, Any] = {"status": "not ready" if failed else "ready", "failed": failed}
    return JSONResponse(body, status_code=503 if failed else 200)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    """Prometheus metrics of this process."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
