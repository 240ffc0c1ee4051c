"""A TCP proxy in front of PostgreSQL counting its clients' round trips: every Sync (extended
protocol: prepare, bind and execute) and Query (simple protocol: BEGIN, COMMIT, ROLLBACK) message
waits for the server's ReadyForQuery."""

import asyncio
import struct
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

_UNTYPED_REQUESTS = {80877103, 80877104}  # SSLRequest, GSSENCRequest: a startup follows
_WAITS = {ord("S"), ord("Q")}  # Sync, Query: the client waits for ReadyForQuery


class ClientMessages:
    """Counts the round trips in what a client sends: the startup packets carry no type byte,
    every later message is a type byte and a length."""

    def __init__(self) -> None:
        self._buffer = b""
        self._typed = False
        self.round_trips = 0

    def feed(self, data: bytes) -> None:
        self._buffer += data
        while True:
            head = 5 if self._typed else 4
            if len(self._buffer) < head:
                return
            length = struct.unpack("!i", self._buffer[head - 4 : head])[0]
            size = length + 1 if self._typed else length
            if len(self._buffer) < size:
                return
            message, self._buffer = self._buffer[:size], self._buffer[size:]
            if self._typed:
                self.round_trips += message[0] in _WAITS
            elif struct.unpack("!i", message[4:8])[0] not in _UNTYPED_REQUESTS:
                self._typed = True


class CountingProxy:
    """A TCP proxy in front of PostgreSQL that counts its clients' round trips."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._clients: list[ClientMessages] = []
        self.port = 0

    @property
    def round_trips(self) -> int:
        return sum(client.round_trips for client in self._clients)

    @asynccontextmanager
    async def running(self) -> AsyncIterator["CountingProxy"]:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        async with server:
            yield self

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        counted = ClientMessages()
        self._clients.append(counted)
        await asyncio.gather(
            _pipe(reader, upstream_writer, counted.feed),
            _pipe(upstream_reader, writer, lambda _: None),
        )


async def _pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: Callable[[bytes], None]
) -> None:
    try:
        while data := await reader.read(65536):
            seen(data)
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
