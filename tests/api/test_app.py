"""Cross-cutting behaviour: health, OpenAPI and docs, security headers, body limits, 422 shape."""

from collections.abc import AsyncIterator

import httpx

from tests.api.builders import SCHOOLS, Accounts, need_body


async def test_health_openapi_and_docs(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    document = (await client.get("/openapi.json")).json()
    body = document["paths"]["/api/needs"]["post"]["requestBody"]["content"]["application/json"]
    assert "event_id" not in body["schema"]["properties"]
    assert "School" in document["components"]["schemas"]
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "cdn.jsdelivr.net" not in docs.headers["content-security-policy"]


async def test_security_headers_on_every_answer(client: httpx.AsyncClient) -> None:
    for path in ("/health", "/api/catalogue", "/api/me"):
        headers = (await client.get(path)).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert (headers.get("cache-control") == "no-store") == path.startswith("/api")


async def test_bodies_over_the_limit_are_413(client: httpx.AsyncClient, accounts: Accounts) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    huge = need_body(SCHOOLS[0], description="x" * 1_100_000)
    answer = await client.post("/api/needs", json=huge, headers=school.bearer)
    assert answer.status_code == 413
    assert "larger than 1000000 bytes" in answer.json()["detail"]

    async def chunks() -> AsyncIterator[
        bytes
    ]:  # no Content-Length: the limit holds while streaming too
        for _ in range(20):
            yield b"x" * 100_000

    streamed = await client.post("/api/needs", content=chunks(), headers=school.bearer)
    assert streamed.status_code == 413


async def test_every_422_lists_field_messages(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/catalogue", params={"page": 0})
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "the request is not valid",
        "errors": [{"field": "page", "message": "Input should be greater than or equal to 1"}],
    }


async def test_control_characters_in_queries_paths_and_sign_in_are_422_not_500(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    answers = [
        await client.post("/api/session", json={"email": "a\x00b@x.example", "password": "p"}),
        await client.get("/api/catalogue", params={"q": "diag\x00nose"}),
        await client.get("/api/needs/bad%00id", headers=school.bearer),
    ]
    assert [answer.status_code for answer in answers] == [422, 422, 422]
