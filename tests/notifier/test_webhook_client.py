"""A webhook delivery connects to an address its own connection has just checked: a name that
answered a public address when it was checked and points inside the network when the delivery
connects (DNS rebinding) is refused, and nothing is sent. A public answer is connected to as
resolved, with the request still addressed to the name."""

import httpcore
import httpx
import pytest

from services.notifier.senders import post_webhook
from services.notifier.webhook_client import CheckedBackend, webhook_client
from services.notifier.webhook_urls import WebhookRefused, check
from tests.notifier.servers import WebhookReceiver

PUBLIC = "93.184.215.14"
SECRET = "whsec_test"


class Rebinding:
    """A resolver answering a public address to the first lookup, 127.0.0.1 after it."""

    def __init__(self) -> None:
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        return [PUBLIC] if len(self.lookups) == 1 else ["127.0.0.1"]


class ToReceiver(httpcore.AsyncNetworkBackend):
    """Records the address asked for and connects to the local receiver instead (standing in
    for the public server)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.asked: list[str] = []
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, **options: object
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append(host)
        return await self._real.connect_tcp("127.0.0.1", self.port)


async def test_a_name_rebound_inside_the_network_after_its_check_is_not_called() -> None:
    with WebhookReceiver(SECRET) as receiver:
        port = int(receiver.url.split(":")[2].split("/")[0])
        url = f"http://hooks.rebind.example:{port}/hooks/schakel"
        resolver = Rebinding()
        assert [str(a) for a in await check(f"https://hooks.rebind.example:{port}/", resolver)] == [
            PUBLIC
        ]  # as when it was saved: public
        async with webhook_client(5, backend=CheckedBackend(resolver)) as client:
            with pytest.raises(WebhookRefused, match=r"127\.0\.0\.1"):
                await post_webhook(client, url, SECRET, b'{"type": "ping"}', "d-1")
    assert resolver.lookups == ["hooks.rebind.example"] * 2
    assert receiver.calls == []


async def test_the_connection_goes_to_the_address_it_checked_addressed_to_the_name() -> None:
    with WebhookReceiver(SECRET) as receiver:
        port = int(receiver.url.split(":")[2].split("/")[0])
        resolver, forward = Rebinding(), ToReceiver(port)
        async with webhook_client(5, backend=CheckedBackend(resolver, forward)) as client:
            url = f"http://hooks.example.com:{port}/hooks/schakel"
            assert await post_webhook(client, url, SECRET, b'{"type": "ping"}', "d-2") == 204
    assert resolver.lookups == ["hooks.example.com"]  # once: what it connects to is what it checked
    assert forward.asked == [PUBLIC]
    (call,) = receiver.calls
    assert call["host"] == f"hooks.example.com:{port}" and call["verified"] is True


async def test_a_name_that_does_not_resolve_fails_as_a_connection_error() -> None:
    async def nowhere(host: str, port: int) -> list[str]:
        return []

    async with webhook_client(5, backend=CheckedBackend(nowhere)) as client:
        with pytest.raises(httpx.ConnectError, match="does not resolve"):
            await post_webhook(client, "https://hooks.not-yet.example/", SECRET, b"{}", "d-3")
