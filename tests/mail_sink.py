"""A real SMTP server (aiosmtpd) keeping every mail it receives: the mail sink the notifier's and
the API's tests read. It can be started late on a reserved port, so a client meets a server that
is down first."""

import asyncio
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session


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
