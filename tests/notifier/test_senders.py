"""The SMTP and webhook senders against a real SMTP server and a real HTTP endpoint."""

import json

import httpx
import pytest

from services.notifier.senders import build_email, post_webhook, send_email
from services.notifier.settings import NotifierSettings
from services.notifier.templates import Message
from tests.mail_sink import SmtpServer, free_port
from tests.notifier.servers import WebhookReceiver

MESSAGE = Message("Onderwerp é", "Platte tekst met é.\n", "<p>HTML met é</p>")


async def test_mail_arrives_with_a_text_and_an_html_part() -> None:
    server = SmtpServer()
    await server.start()
    try:
        settings = NotifierSettings(smtp_port=server.port)
        await send_email(
            settings, build_email(settings.smtp_from, "els@rtc.example", MESSAGE, 7, "m-7")
        )
    finally:
        await server.stop()
    (mail,) = server.sink.to("els@rtc.example")
    assert mail["Subject"] == "Onderwerp é"
    assert mail["Message-ID"] == "<delivery-7@schakel.notifier>"
    assert mail["X-Schakel-Match"] == "m-7"
    assert mail.get_body(("plain",)).get_content().strip() == "Platte tekst met é."
    assert "HTML met é" in mail.get_body(("html",)).get_content()


async def test_a_down_smtp_server_raises_so_the_caller_can_retry() -> None:
    settings = NotifierSettings(smtp_port=free_port(), smtp_timeout_seconds=2)
    with pytest.raises(OSError):
        await send_email(
            settings, build_email(settings.smtp_from, "x@rtc.example", MESSAGE, 1, "m-1")
        )


async def test_webhook_body_is_signed_and_verified_by_the_receiver() -> None:
    body = json.dumps({"type": "accepted", "match_id": "m-1"}).encode()
    with WebhookReceiver("org-secret") as receiver:
        async with httpx.AsyncClient() as client:
            await post_webhook(client, receiver.url, "org-secret", body, 42)
    (call,) = receiver.calls
    assert call["verified"] is True
    assert call["json"]["match_id"] == "m-1"
    assert call["delivery"] == "42"


async def test_a_webhook_with_the_wrong_secret_fails_verification() -> None:
    with WebhookReceiver("org-secret") as receiver:
        async with httpx.AsyncClient() as client:
            await post_webhook(client, receiver.url, "stolen", b"{}", 1)
    assert receiver.calls[0]["verified"] is False


async def test_a_failing_endpoint_raises() -> None:
    with WebhookReceiver("s", fail_first=1) as receiver:
        async with httpx.AsyncClient() as client:
            with pytest.raises(httpx.HTTPStatusError):
                await post_webhook(client, receiver.url, "s", b"{}", 1)
