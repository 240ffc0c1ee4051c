"""The HTTP client that calls webhooks: it connects only to an address it has just checked.

Left to itself, httpx resolves a webhook's host again when it connects, after the address was
checked (a name may be pointed elsewhere in between: DNS rebinding). This client's transport
(httpx's public ``AsyncBaseTransport`` over an httpcore connection pool of its own) gives the pool
a network backend (httpcore's ``AsyncNetworkBackend``) that resolves the host once per
connection, refuses it when any address is inside a network
(``webhook_urls.checked_addresses``) and connects to a checked address itself.
TLS is still negotiated and verified for the name (httpcore takes SNI and the certificate's host
from the URL, not from the socket), and the Host header is the URL's. No proxy from the
environment is used: a proxy would resolve the name on its own.
"""

import contextlib
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

import anyio
import httpcore
import httpx

from services.notifier.webhook_urls import Resolver, checked_addresses, resolve


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the checked addresses of a host (the first that answers), through ``inner``
    (the plain AnyIO backend unless given); WebhookRefused for a host inside a network."""

    def __init__(
        self, resolver: Resolver = resolve, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's signature
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await checked_addresses(host, port, self._resolver)
        except TimeoutError as slow:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from slow
        failed = httpcore.ConnectError(f"{host} does not resolve")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failed = httpcore.ConnectError(f"{address}: {error}")
        raise failed

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# httpcore's errors as httpx raises them (what ``httpx.AsyncHTTPTransport`` does for its pool).
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProxyError, httpx.ProxyError),
)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as error:
        for httpcore_error, httpx_error in _HTTPX_ERRORS:
            if isinstance(error, httpcore_error):
                raise httpx_error(str(error)) from error
        raise


class _ResponseBody(httpx.AsyncByteStream):
    """httpcore's response stream, read with its errors raised as httpx's."""

    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()


class CheckedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over an httpcore connection pool that connects through a
    ``CheckedBackend``; TLS verified as httpx does, no proxy from the environment."""

    def __init__(self, backend: CheckedBackend) -> None:
        self._connections = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=backend
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` over the pool."""
        assert isinstance(request.stream, AsyncIterable)
        url = request.url
        sent = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            answer = await self._connections.handle_async_request(sent)
        assert isinstance(answer.stream, AsyncIterable)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_ResponseBody(answer.stream),
            extensions=answer.extensions,
        )

    async def aclose(self) -> None:
        """Close the pool's connections."""
        await self._connections.aclose()


def webhook_client(
    timeout: float, private_allowed: bool = False, backend: CheckedBackend | None = None
) -> httpx.AsyncClient:
    """A client for webhook deliveries and pings, connecting only to checked public addresses;
    with ``private_allowed`` (a local receiver in development and tests) a plain one."""
    if private_allowed:
        return httpx.AsyncClient(timeout=timeout)
    return httpx.AsyncClient(
        timeout=timeout, transport=CheckedTransport(backend or CheckedBackend()), trust_env=False
    )
