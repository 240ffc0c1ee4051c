"""The two outbound channels: e-mail over SMTP and signed webhooks. Each raises on failure."""

from email.message import EmailMessage

import aiosmtplib
import httpx

from services.notifier.settings import NotifierSettings
from services.notifier.signing import SIGNATURE_HEADER, sign
from services.notifier.templates import Message

DELIVERY_HEADER = "X-Schakel-Delivery"
MATCH_HEADER = "X-Schakel-Match"


def build_email(
    sender: str, to: str, message: Message, delivery_id: int, match_id: str | None
) -> EmailMessage:
    """A multipart/alternative mail; the Message-ID is stable so a resend can be recognised, and
    ``X-Schakel-Match`` (on mails about a match) lets mail rules sort by match."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = message.subject
    mail["Message-ID"] = f"<delivery-{delivery_id}@schakel.notifier>"
    if match_id is not None:
        mail[MATCH_HEADER] = match_id
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    return mail


async def send_email(settings: NotifierSettings, mail: EmailMessage) -> None:
    """Hand ``mail`` to the configured SMTP server."""
    await aiosmtplib.send(
        mail,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_user,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )


async def post_webhook(
    client: httpx.AsyncClient,
    url: str,
    secret: str,
    body: bytes,
    delivery_id: int | str,
    signed_at: int | None = None,
) -> int:
    """POST ``body`` signed with ``secret`` at ``signed_at`` (now if not given), without
    following redirects; return the 2xx status. Any other answer raises ``HTTPStatusError``."""
    response = await client.post(
        url,
        content=body,
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret, body, signed_at),
            DELIVERY_HEADER: str(delivery_id),
        },
        follow_redirects=False,
    )
    response.raise_for_status()
    return response.status_code
