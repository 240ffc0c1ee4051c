"""Organisations sign themselves up: the address is checked by mail, the RTC coordinator of the
region of their postal code (and no other) approves or refuses them, and until approved nothing
they post is published."""

import contextlib
import random
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.validation import enterprise_number_of
from tests.api.builders import PASSWORD, Accounts, browser, offer_body
from tests.api.mail import link_in, mail_to, parts
from tests.mail_sink import SmtpServer

Db = async_sessionmaker[AsyncSession]
CONFIRM_SUBJECT = "bevestig uw e-mailadres"


def company(**overrides: str) -> dict[str, str]:
    """A sign-up form of a company in Hasselt (Limburg) with a fresh number and address."""
    number = enterprise_number_of(random.randint(10_000_000, 19_999_999))
    return {
        "kind": "company", "number": number, "organisation_name": "Bouw & Zonen <NV>",
        "postal_code": "3500", "person_name": "Hilde Maes",
        "email": f"hilde-{number.replace('.', '')}@bouw.example", "password": PASSWORD,
        **overrides,
    }  # fmt: skip


async def signed_up_and_confirmed(
    app: FastAPI, db: Db, smtp: SmtpServer, form: dict[str, str]
) -> None:
    """Sign ``form`` up on the page and follow the mailed link."""
    async with browser(app) as http:
        taken = await http.post("/registreren", data=form)
        assert taken.status_code == 200 and "we stuurden een mail" in taken.text, taken.text
        mail = await mail_to(db, smtp, form["email"], CONFIRM_SUBJECT)
        assert "Bouw &amp; Zonen &lt;NV&gt;" in parts(mail)[1]
        path = link_in(mail, "/registreren/bevestigen")
        button = await http.get(path)
        assert button.status_code == 200 and "Bevestig mijn e-mailadres" in button.text
        token = path.split("token=", 1)[1]
        confirmed = await http.post("/registreren/bevestigen", data={"token": token})
        assert confirmed.status_code == 200 and "RTC Limburg" in confirmed.text
        again = await http.post("/registreren/bevestigen", data={"token": token})
        assert again.status_code == 410


@contextlib.asynccontextmanager
async def signed_in(app: FastAPI, email: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A browser signed in as ``email``, with its CSRF token."""
    async with browser(app) as http:
        me = await http.post("/api/session", json={"email": email, "password": PASSWORD})
        assert me.status_code == 200, me.text
        yield http, me.json()["csrf_token"]


async def test_a_company_signs_up_and_its_regions_coordinator_approves_it(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    form = company()
    await signed_up_and_confirmed(app, db, smtp, form)
    async with signed_in(app, form["email"]) as (provider, provider_csrf):
        refused = await provider.post(
            "/api/offers", json=offer_body(form["number"]), headers={"X-CSRF-Token": provider_csrf}
        )
        assert refused.status_code == 403 and "not approved" in refused.text
    elsewhere = await accounts.create("coordinator", region="Antwerpen")
    own = await accounts.create("coordinator", region="Limburg")
    async with (
        signed_in(app, elsewhere.email) as (other, other_csrf),
        signed_in(app, own.email) as (rtc, csrf),
    ):
        assert "Bouw &amp; Zonen" not in (await other.get("/aanmeldingen")).text
        assert form["number"] not in (await other.get("/api/registrations")).text
        assert "Bouw &amp; Zonen &lt;NV&gt;" in (await rtc.get("/aanmeldingen")).text
        (found,) = [o for o in (await rtc.get("/api/registrations")).json()
                    if o["number"] == form["number"]]  # fmt: skip
        foreign = await other.post(
            f"/aanmeldingen/{found['id']}/goedkeuren", data={"csrf_token": other_csrf}
        )
        assert foreign.status_code == 404
        foreign_api = await other.post(
            f"/api/registrations/{found['id']}/decision",
            json={"decision": "approved"},
            headers={"X-CSRF-Token": other_csrf},
        )
        assert foreign_api.status_code == 404
        school = await accounts.create("school", "048561")
        not_a_coordinator = await other.get("/api/registrations", headers=school.bearer)
        assert not_a_coordinator.status_code == 403
        approved = await rtc.post(
            f"/aanmeldingen/{found['id']}/goedkeuren", data={"csrf_token": csrf}
        )
        assert approved.status_code == 303
    told = await mail_to(db, smtp, form["email"], "is goedgekeurd")
    assert "gepubliceerd en gematcht" in parts(told)[0]
    async with signed_in(app, form["email"]) as (provider, provider_csrf):
        posted = await provider.post(
            "/api/offers", json=offer_body(form["number"]), headers={"X-CSRF-Token": provider_csrf}
        )
        assert posted.status_code == 202, posted.text


async def test_the_regions_coordinators_are_mailed_when_a_confirmed_application_waits(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    own = await accounts.create("coordinator", region="Limburg")
    form = company()
    await signed_up_and_confirmed(app, db, smtp, form)
    told = await mail_to(db, smtp, own.email, "Bouw & Zonen <NV> wacht op uw goedkeuring")
    text, html = parts(told)
    assert "RTC Limburg" in text and "3500" in text
    assert "Bouw &amp; Zonen &lt;NV&gt;" in html and "Bouw & Zonen <NV>" not in html
    assert link_in(told, "/aanmeldingen") == "/aanmeldingen"
    async with signed_in(app, own.email) as (rtc, _):
        assert "Bouw &amp; Zonen &lt;NV&gt;" in (await rtc.get("/aanmeldingen")).text


async def test_a_refused_organisation_hears_why_and_cannot_publish(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    form = company()
    await signed_up_and_confirmed(app, db, smtp, form)
    rtc_account = await accounts.create("coordinator", region="Limburg")
    async with signed_in(app, rtc_account.email) as (rtc, csrf):
        (found,) = [o for o in (await rtc.get("/api/registrations")).json()
                    if o["number"] == form["number"]]  # fmt: skip
        path = f"/aanmeldingen/{found['id']}/weigeren"
        nameless = await rtc.post(path, data={"csrf_token": csrf, "reason": " "})
        assert nameless.status_code == 422 and "reden" in nameless.text
        refused = await rtc.post(path, data={"csrf_token": csrf, "reason": "Geen bedrijf <hier>"})
        assert refused.status_code == 303
    told = await mail_to(db, smtp, form["email"], "geweigerd")
    text, html = parts(told)
    assert "Geen bedrijf <hier>" in text and "Geen bedrijf &lt;hier&gt;" in html
    async with signed_in(app, form["email"]) as (provider, provider_csrf):
        page = await provider.get("/aanbieder/aanbod/nieuw")
        assert page.status_code == 200
        posted = await provider.post(
            "/api/offers", json=offer_body(form["number"]), headers={"X-CSRF-Token": provider_csrf}
        )
        assert posted.status_code == 403 and "not approved" in posted.text


async def test_a_registered_number_is_refused_without_naming_its_holder(
    app: FastAPI, accounts: Accounts
) -> None:
    holder = company()
    async with browser(app) as http:
        assert (await http.post("/api/registrations", json=holder)).status_code == 202
        second = company(number=holder["number"], organisation_name="Iemand Anders")
        refused = await http.post("/registreren", data=second)
    assert refused.status_code == 422
    assert "al geregistreerd" in refused.text and "RTC Limburg" in refused.text
    assert "Bouw" not in refused.text and holder["email"] not in refused.text
    assert 'value="Iemand Anders"' in refused.text  # the form is kept


async def test_an_address_with_an_account_gets_the_same_answer_and_a_mail(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    existing = await accounts.create("school", "048561")
    async with browser(app) as http:
        answer = await http.post("/api/registrations", json=company(email=existing.email))
    assert answer.status_code == 202
    await mail_to(db, smtp, existing.email, "u hebt al een account")


async def test_wrong_fields_are_told_in_dutch(app: FastAPI) -> None:
    async with browser(app) as http:
        for field, value, said in (
            ("number", "0403.170.702", "ondernemingsnummer"),
            ("postal_code", "7000", "postcode"),
            ("password", "kort", "minstens 8 tekens"),
        ):
            refused = await http.post("/registreren", data=company(**{field: value}))
            assert refused.status_code == 422 and said in refused.text, field
        foreign = await http.post(
            "/registreren", data=company(), headers={"Origin": "https://evil.example"}
        )
        assert foreign.status_code == 403
