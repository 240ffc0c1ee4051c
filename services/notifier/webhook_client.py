"""The HTTP client that calls webhooks: it connects only to an address it has just checked.

Left to itself, httpx resolves a webhook's host again when it connects, after the address was
checked (a name may be pointed elsewhere in between: DNS rebinding). Under this client's
``httpx.AsyncHTTPTransport`` the connection pool's network backend (httpcore's
``AsyncNetworkBackend``) resolves the host once per connection, refuses it when any address is
inside a network (``webhook_urls.checked_addresses``) and connects to a checked address itself.
TLS is still negotiated and verified for the name (httpcore takes SNI and the certificate's host
from the URL, not from the socket), and the Host header is the URL's. No proxy from the
environment is used: a proxy would resolve the name on its own.
"""

from collections.abc import Iterable
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


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool over a ``CheckedBackend``."""

    def __init__(self, backend: CheckedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=backend
        )


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
