"""ASGI middleware: request body size limits and security headers on every answer."""

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from services.api.credentials import SESSION_COOKIE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Server-rendered pages later: own scripts, styles and images only, never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
STRICT_TRANSPORT_SECURITY = b"max-age=31536000; includeSubDomains"
BASE_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
)
SIGN_IN_PAGES = frozenset({"/aanmelden", "/afmelden"})


class BodyLimit:
    """Answers 413 to a request body larger than its path's limit, before the app reads it:
    English JSON under ``machine_paths`` (the API), a Dutch page everywhere else."""

    def __init__(
        self,
        app: ASGIApp,
        default_limit: int,
        limits_by_path: dict[str, int],
        machine_paths: tuple[str, ...],
    ) -> None:
        self._app = app
        self._default_limit = default_limit
        self._limits_by_path = limits_by_path
        self._machine_paths = machine_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self._app(scope, receive, send)
        limit = self._limits_by_path.get(scope["path"], self._default_limit)
        as_page = not scope["path"].startswith(self._machine_paths)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            return await _too_large(send, limit, as_page)
        body, more = bytearray(), True
        while more:
            message = await receive()
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if len(body) > limit:
                return await _too_large(send, limit, as_page)
        await self._app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: the disconnect
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


async def _too_large(send: Send, limit: int, as_page: bool) -> None:
    if as_page:  # the page's own stylesheet; no template here, the app never sees the request
        body = _TOO_LARGE_PAGE.format(megabytes=f"{limit / 1_000_000:.1f}".replace(".", ","))
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": f"request body larger than {limit} bytes", "errors": []})
        content_type = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", content_type), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


_TOO_LARGE_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Te groot - Schakel</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>Te groot</h1>
<p>Het bestand of formulier is groter dan {megabytes} MB, meer dan Schakel aanneemt.
Verklein het (bijvoorbeeld door het in delen op te laden) en probeer opnieuw.</p>
<p><a href="/">Naar de startpagina</a></p></main></body></html>
"""


class SecurityHeaders:
    """Adds nosniff, no framing, a referrer policy, a CSP, HSTS when served over HTTPS
    (``strict_transport``) and ``no-store`` on every answer that may be personal."""

    def __init__(self, app: ASGIApp, strict_transport: bool) -> None:
        self._app = app
        self._strict_transport = strict_transport

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self._app(scope, receive, send)
        extra = self._headers()
        personal = not _may_be_cached(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *extra]
                if personal:
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self._app(scope, receive, with_headers)

    def _headers(self) -> list[tuple[bytes, bytes]]:
        headers = list(BASE_HEADERS)
        if self._strict_transport:
            headers.append((b"strict-transport-security", STRICT_TRANSPORT_SECURITY))
        return headers


def _may_be_cached(scope: Scope) -> bool:
    """Static files, and pages (not the API, not signing in or out) answered to a request that
    carries no credentials: the same for everyone, like the public catalogue."""
    path: str = scope["path"]
    if path.startswith("/static/"):
        return True
    if path.startswith("/api") or path in SIGN_IN_PAGES:
        return False
    names = [name.lower() for name, _ in scope["headers"]]
    cookies = b";".join(value for name, value in scope["headers"] if name.lower() == b"cookie")
    return b"authorization" not in names and SESSION_COOKIE.encode() not in cookies
