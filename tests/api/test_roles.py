"""Every role on every endpoint: who gets what (no intake here: postings stay ``submitted``)."""

import uuid
from typing import Any

import httpx
import pytest

from tests.api.builders import (
    PROVIDERS,
    SCHOOLS,
    Account,
    Accounts,
    as_csv,
    need_body,
    offer_body,
    offer_row,
)

ROLES = ("anonymous", "school", "provider", "coordinator", "admin")
# method, path, body kind, expected status per role (in ROLES order).
TABLE = (
    ("GET", "/health", None, (200, 200, 200, 200, 200)),
    ("GET", "/api/me", None, (401, 200, 200, 200, 200)),
    ("DELETE", "/api/session", None, (204, 204, 204, 204, 204)),
    ("POST", "/api/needs", "need", (401, 202, 403, 403, 202)),
    ("GET", "/api/needs", None, (401, 200, 403, 403, 200)),
    ("GET", "/api/needs/{need}", None, (401, 200, 403, 403, 200)),
    ("PUT", "/api/needs/{need}", "need", (401, 202, 403, 403, 202)),
    ("DELETE", "/api/needs/{need}", None, (401, 202, 403, 403, 202)),
    ("POST", "/api/offers", "offer", (401, 403, 202, 403, 202)),
    ("GET", "/api/offers", None, (401, 403, 200, 403, 200)),
    ("GET", "/api/offers/{offer}", None, (401, 403, 200, 403, 200)),
    ("PUT", "/api/offers/{offer}", "offer", (401, 403, 202, 403, 202)),
    ("DELETE", "/api/offers/{offer}", None, (401, 403, 202, 403, 202)),
    ("POST", "/api/offers/import", "csv", (401, 403, 202, 403, 202)),
    ("GET", "/api/offers/import/template", None, (401, 403, 200, 403, 200)),
    ("GET", "/api/catalogue", None, (200, 200, 200, 200, 200)),
)


@pytest.fixture(scope="module")
async def users(accounts: Accounts) -> dict[str, Account]:
    return {
        "school": await accounts.create("school", SCHOOLS[0]),
        "provider": await accounts.create("provider", PROVIDERS[0]),
        "coordinator": await accounts.create("coordinator", region="Antwerpen"),
        "admin": await accounts.create("admin"),
    }


@pytest.fixture(scope="module")
async def ids(client: httpx.AsyncClient, users: dict[str, Account]) -> dict[str, str]:
    """A need of the school and an offer of the provider."""
    need = need_body(SCHOOLS[0], need_id=f"roles-{uuid.uuid4().hex[:8]}")
    offer = offer_body(PROVIDERS[0], offer_id=f"roles-{uuid.uuid4().hex[:8]}")
    assert (await client.post("/api/needs", json=need, headers=users["school"].bearer)).is_success
    assert (
        await client.post("/api/offers", json=offer, headers=users["provider"].bearer)
    ).is_success
    return {"need": need["need_id"], "offer": offer["offer_id"]}


def request_parts(body_kind: str | None, ids: dict[str, str]) -> dict[str, Any]:
    """Keyword arguments of the request: a body naming the owner organisations."""
    if body_kind == "need":
        return {"json": need_body(SCHOOLS[0], need_id=ids["need"])}
    if body_kind == "offer":
        return {"json": offer_body(PROVIDERS[0], offer_id=ids["offer"])}
    if body_kind == "csv":
        content = as_csv([offer_row(f"roles-{uuid.uuid4().hex[:6]}", 1)])
        return {"files": {"file": ("offers.csv", content, "text/csv")}}
    return {}


@pytest.mark.parametrize(("method", "path", "body_kind", "expected"), TABLE)
async def test_every_role_on_every_endpoint(
    client: httpx.AsyncClient,
    users: dict[str, Account],
    ids: dict[str, str],
    method: str,
    path: str,
    body_kind: str | None,
    expected: tuple[int, ...],
) -> None:
    url = path.format(**ids)
    got = []
    for role in ROLES:
        headers = users[role].bearer if role in users else {}
        answer = await client.request(method, url, headers=headers, **request_parts(body_kind, ids))
        got.append(answer.status_code)
    assert tuple(got) == expected, dict(zip(ROLES, got, strict=True))
