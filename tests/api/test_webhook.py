"""An organisation's webhook, for its own admins: set on a page or by the API, HTTPS to a public
address only (refused in Dutch otherwise), pinged with a signed test event whose signature and
answer are shown, removed. A colleague without the right and every other organisation find
nothing."""

import re
from functools import partial

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier import endpoints
from services.notifier.tables import OrganisationEndpointRow
from services.notifier.webhook_client import webhook_client
from tests.api.builders import Accounts
from tests.api.test_colleagues import signed_in
from tests.notifier.servers import WebhookReceiver
from tests.web.world import enterprise_number, institution_number

Db = async_sessionmaker[AsyncSession]
PAGE = "/organisatie/webhook"
NOT_YET = "https://hooks.not-yet.example/schakel"
SIGNATURE = re.compile(r"X-Schakel-Signature: t=\d+,v1=[0-9a-f]{64}")


async def test_an_organisation_admin_sets_pings_and_removes_its_webhook(
    app: FastAPI, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    number = enterprise_number()
    admin = await accounts.create("provider", number)  # the first user: its admin
    colleague = await accounts.create("provider", number)
    other = await accounts.create("provider", enterprise_number())
    async with signed_in(app, admin.email) as (http, csrf):
        for refused, reason in (
            ("http://hooks.example.com/schakel", "https://"),
            ("https://127.0.0.1/schakel", "binnen een netwerk"),
            ("https://0x7f000001/schakel", "binnen een netwerk"),
            ("https://[::ffff:10.0.0.1]/schakel", "binnen een netwerk"),
            ("https://localhost/schakel", "localhost"),
        ):
            page = await http.post(PAGE, data={"url": refused, "csrf_token": csrf})
            assert page.status_code == 422 and reason in page.text, refused
            assert f'value="{refused}"' in page.text  # the form keeps what was typed
        saved = await http.post(PAGE, data={"url": NOT_YET, "csrf_token": csrf})
        assert saved.status_code == 303
        shown = (await http.get(PAGE)).text
        assert NOT_YET in shown and "whsec_" in shown
        pinged = await http.post(f"{PAGE}/ping", data={"csrf_token": csrf})
        assert pinged.status_code == 200 and SIGNATURE.search(pinged.text)
        assert "Fout:" in pinged.text  # the name does not resolve: the error is shown

    secret = (await client.get("/api/organisation/webhook", headers=admin.bearer)).json()["secret"]
    changed = await client.put(
        "/api/organisation/webhook", json={"url": NOT_YET + "/v2"}, headers=admin.bearer
    )
    assert changed.status_code == 200 and changed.json() == {
        "url": NOT_YET + "/v2",
        "secret": secret,
    }
    private = await client.put(
        "/api/organisation/webhook", json={"url": "https://2130706433/"}, headers=admin.bearer
    )
    assert private.status_code == 422
    ping = await client.post("/api/organisation/webhook/ping", headers=admin.bearer)
    assert ping.status_code == 200 and ping.json()["status_code"] is None
    assert SIGNATURE.fullmatch(ping.json()["signature_header"])

    assert (await client.get(PAGE, headers=colleague.bearer)).status_code == 404
    own_page = await client.get(PAGE, headers=other.bearer)  # its own organisation's: empty
    assert own_page.status_code == 200 and NOT_YET not in own_page.text
    for outsider in (colleague, other):
        api = await client.get("/api/organisation/webhook", headers=outsider.bearer)
        assert api.status_code == 404 and NOT_YET not in api.text
        ping = await client.post("/api/organisation/webhook/ping", headers=outsider.bearer)
        assert ping.status_code == 404
        gone = await client.delete("/api/organisation/webhook", headers=outsider.bearer)
        assert gone.status_code == 404
    coordinator = await accounts.create("coordinator", region="Limburg")
    assert (await client.get(PAGE, headers=coordinator.bearer)).status_code == 403

    removed = await client.delete("/api/organisation/webhook", headers=admin.bearer)
    assert removed.status_code == 204
    after = await client.get("/api/organisation/webhook", headers=admin.bearer)
    assert after.status_code == 404
    async with signed_in(app, admin.email) as (http, csrf):
        await http.post(PAGE, data={"url": NOT_YET, "csrf_token": csrf})
        removed_on_page = await http.post(f"{PAGE}/verwijderen", data={"csrf_token": csrf})
        assert removed_on_page.status_code == 303
        assert NOT_YET not in (await http.get(PAGE)).text


async def test_a_ping_reaches_the_endpoint_signed_and_shows_its_answer(
    app: FastAPI, accounts: Accounts, db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = institution_number()
    admin = await accounts.create("school", number)

    # The test receiver listens on 127.0.0.1, which production never calls.
    monkeypatch.setattr(endpoints, "webhook_client", partial(webhook_client, private_allowed=True))
    with WebhookReceiver("whsec_test") as receiver:
        async with db.begin() as session:
            session.add(
                OrganisationEndpointRow(
                    organisation_id=number, webhook_url=receiver.url, webhook_secret="whsec_test"
                )
            )
        async with signed_in(app, admin.email) as (http, csrf):
            pinged = await http.post(f"{PAGE}/ping", data={"csrf_token": csrf})
    assert pinged.status_code == 200
    assert "Antwoord: <strong>204</strong> (gelukt)" in pinged.text
    assert SIGNATURE.search(pinged.text)
    (call,) = receiver.calls
    assert call["verified"] is True and call["json"]["type"] == "ping"
    assert call["json"]["organisation"] == number


async def test_an_organisation_pings_a_few_times_a_minute_then_is_told_to_wait(
    app: FastAPI, client: httpx.AsyncClient, accounts: Accounts
) -> None:
    admin = await accounts.create("provider", enterprise_number())
    other = await accounts.create("provider", enterprise_number())
    for account in (admin, other):
        put = await client.put(
            "/api/organisation/webhook", json={"url": NOT_YET}, headers=account.bearer
        )
        assert put.status_code == 200
    for _ in range(endpoints.PINGS_PER_MINUTE):
        ping = await client.post("/api/organisation/webhook/ping", headers=admin.bearer)
        assert ping.status_code == 200
    refused = await client.post("/api/organisation/webhook/ping", headers=admin.bearer)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    async with signed_in(app, admin.email) as (http, csrf):
        page = await http.post(f"{PAGE}/ping", data={"csrf_token": csrf})
    assert page.status_code == 429 and 1 <= int(page.headers["Retry-After"]) <= 60
    assert f"hoogstens {endpoints.PINGS_PER_MINUTE} keer per minuut" in page.text
    assert "Wacht " in page.text and "Resultaat van de test" not in page.text
    # Another organisation's pings are its own.
    assert (
        await client.post("/api/organisation/webhook/ping", headers=other.bearer)
    ).status_code == 200
