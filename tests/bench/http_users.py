"""People asking over real HTTP at little cost to the machine they share with the API: each user
one keep-alive connection, as a browser keeps, a GET written as bytes and its answer parsed by
httptools (uvicorn's own parser), about a tenth of httpx's CPU a request. On a two-core machine
the users' CPU is taken from the API and PostgreSQL, so a heavy client measures itself."""

import asyncio
import time
from typing import cast

import httptools


class User(asyncio.Protocol):
    """One signed-in user's connection to the API: one GET at a time."""

    def __init__(self, host: str, cookies: str) -> None:
        self._host = host
        self._cookies = cookies
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._answer: asyncio.Future[int] | None = None

    @classmethod
    async def connect(cls, host: str, port: int, cookies: str) -> "User":
        loop = asyncio.get_running_loop()
        _, user = await loop.create_connection(lambda: cls(f"{host}:{port}", cookies), host, port)
        return user

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self._parser.feed_data(data)

    def on_message_complete(self) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(self._parser.get_status_code())

    def connection_lost(self, exc: Exception | None) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(exc or ConnectionError("the API closed the connection"))

    async def ask(self, path: str) -> float:
        """Milliseconds one GET of ``path`` took, negative when it answered neither 200 nor 204."""
        assert self._transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        self._transport.write(
            f"GET {path} HTTP/1.1\r\nHost: {self._host}\r\nCookie: {self._cookies}\r\n\r\n".encode()
        )
        status = await self._answer
        took = (time.perf_counter() - started) * 1000
        return took if status in (200, 204) else -took

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
