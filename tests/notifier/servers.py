"""Real local servers for the tests: an SMTP server (aiosmtpd) and a webhook receiver (stdlib).

The SMTP server can be started late on a reserved port, so a client meets a server that is down
first; the webhook receiver verifies each signature the way a receiving organisation would.
"""

import asyncio
import json
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from services.notifier.signing import SIGNATURE_HEADER, verify


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class MailSink:
    """aiosmtpd handler keeping every received mail, parsed."""

    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        """aiosmtpd hook: store the mail."""
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.mails.append(mail)
        return "250 OK"

    def to(self, address: str, match_id: str | None = None) -> list[EmailMessage]:
        """The mails received for ``address`` (about ``match_id``, if given)."""
        return [
            mail
            for mail in self.mails
            if mail["To"] == address and match_id in (None, mail["X-Schakel-Match"])
        ]


class SmtpServer:
    """A real SMTP server on 127.0.0.1:``port`` in the running event loop."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.sink = MailSink()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen (until then connections are refused: the server is 'down')."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self.sink, hostname="smtp.test"), "127.0.0.1", self.port
        )

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


class WebhookReceiver:
    """An HTTP server in a thread recording POSTs and whether their signature verified.

    ``fail_first`` answers 503 to that many requests first, like an endpoint having a bad time.
    """

    def __init__(self, secret: str, fail_first: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.calls: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where to POST."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hooks/schakel"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signature = self.headers.get(SIGNATURE_HEADER, "")
                receiver.calls.append(
                    {
                        "path": self.path,
                        "verified": verify(receiver.secret, body, signature),
                        "json": json.loads(body),
                        "delivery": self.headers.get("X-Schakel-Delivery"),
                    }
                )
                status = 503 if len(receiver.calls) <= receiver.fail_first else 204
                self.send_response(status)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        return Handler

    def __enter__(self) -> "WebhookReceiver":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
