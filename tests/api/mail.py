"""Reading what the API mailed: the notifier's dispatcher sends the due deliveries to the mail
sink (``tests.mail_sink``) until the awaited mail is there."""

import asyncio
import re
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.dispatcher import Dispatcher
from services.notifier.settings import NotifierSettings
from tests.mail_sink import SmtpServer


async def mail_to(
    sessions: async_sessionmaker[AsyncSession],
    smtp: SmtpServer,
    address: str,
    subject: str,
    already: int = 0,
) -> EmailMessage:
    """The ``already + 1``-th mail to ``address`` whose subject holds ``subject``, sending due
    deliveries meanwhile; fail after a minute."""
    dispatcher = Dispatcher(sessions, NotifierSettings(smtp_port=smtp.port, smtp_timeout_seconds=5))
    async with httpx.AsyncClient() as client, asyncio.timeout(60):
        while True:
            found = [m for m in smtp.sink.to(address) if subject in str(m["Subject"])]
            if len(found) > already:
                return found[already]
            await dispatcher.dispatch_once(client, datetime.now(UTC))
            await asyncio.sleep(0.1)


def parts(mail: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML part of ``mail``."""
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def link_in(mail: EmailMessage, path: str) -> str:
    """The path and query of the first link to ``path`` in the text part."""
    found = re.search(rf"https?://[^\s/]+({re.escape(path)}\S*)", parts(mail)[0])
    assert found, parts(mail)[0]
    return found[1]
