"""A real local webhook receiver for the tests (stdlib), verifying each signature the way a
receiving organisation would. The SMTP server is ``tests.mail_sink``."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from services.notifier.signing import SIGNATURE_HEADER, verify


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
                        "host": self.headers.get("Host"),
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
