"""``Idempotency-Key``: a retried request (same user, same key) gets the first answer again and
changes nothing; the same key with another request is a 422.

The key is claimed with ``INSERT ... ON CONFLICT DO NOTHING`` in the request's transaction: a
concurrent retry waits for the first to commit, then replays it; if the first failed (rolled
back), the retry does the work itself.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.errors import field_problem
from services.api.principal import Principal
from services.api.tables import IdempotencyRow

Answer = tuple[int, dict[str, Any]]
REPLAYED_HEADER = "Idempotent-Replayed"


def request_digest(method: str, path: str, document: Any) -> str:
    """A fingerprint of a request: method, path and the JSON body (key order ignored)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


async def answer_once(
    session: AsyncSession,
    principal: Principal,
    key: str | None,
    digest: str,
    act: Callable[[], Awaitable[Answer]],
) -> JSONResponse:
    """Run ``act`` unless ``key`` was used before by this user; then replay its answer."""
    if key is None:
        status, body = await act()
        return JSONResponse(body, status_code=status)
    where = (IdempotencyRow.user_id == principal.user_id) & (IdempotencyRow.key == key)
    claim = insert(IdempotencyRow).values(
        user_id=principal.user_id, key=key, request_digest=digest, status_code=0, response={}
    )
    if await session.scalar(claim.on_conflict_do_nothing().returning(IdempotencyRow.key)) is None:
        first = (await session.scalars(select(IdempotencyRow).where(where))).one()
        if first.request_digest != digest:
            raise field_problem(
                "Idempotency-Key", "this key was used for another request; use a new key"
            )
        return JSONResponse(
            first.response, status_code=first.status_code, headers={REPLAYED_HEADER: "true"}
        )
    status, body = await act()
    await session.execute(
        update(IdempotencyRow).where(where).values(status_code=status, response=body)
    )
    return JSONResponse(body, status_code=status)
