"""The pages a mail leads to and the account pages: one match (scope-checked), the mail choices
per kind of notification, and /beheer naming new organisations, keeping its form on a refusal and
showing the organisations of one status."""

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.accounts import OrganisationRow, UserRow
from shared.mail_choices import choices_of
from shared.validation import enterprise_number_of
from tests.api.builders import PASSWORD, PROVIDERS, SCHOOLS, Accounts, browser
from tests.api.test_matches import provider_offer, school_need
from tests.review.conftest import suggested_pairs
from tests.web.world import enterprise_number, institution_number

Db = async_sessionmaker[AsyncSession]


async def test_the_page_of_a_match_shows_it_to_its_parties_and_hides_it_from_others(
    client: httpx.AsyncClient, db: Db, accounts: Accounts
) -> None:
    need, offer = school_need(), provider_offer(capacity=1)
    (match,) = await suggested_pairs(db, [need], offer)
    path = f"/matches/{match.match_id}"
    for who in (
        await accounts.create("school", SCHOOLS[0]),
        await accounts.create("provider", PROVIDERS[0]),
        await accounts.create("coordinator", region="Limburg"),
    ):
        page = await client.get(path, headers=who.bearer)
        assert page.status_code == 200, (who.role, page.text)
        assert need.title in page.text and "Garage X" in page.text
    for who in (
        await accounts.create("school", SCHOOLS[1]),
        await accounts.create("provider", PROVIDERS[1]),
        await accounts.create("coordinator", region="Antwerpen"),
    ):
        hidden = await client.get(path, headers=who.bearer)
        assert hidden.status_code == 404 and need.title not in hidden.text
    anonymous = await client.get(path)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/aanmelden?volgende=/matches/{match.match_id}"


async def test_a_coordinator_chooses_per_kind_how_to_be_mailed(
    app: FastAPI, accounts: Accounts, db: Db
) -> None:
    coordinator = await accounts.create("coordinator", region="Limburg")
    async with browser(app) as http:
        me = await http.post(
            "/api/session",
            json={"email": coordinator.email, "password": PASSWORD},
        )
        page = await http.get("/account/voorkeuren")
        assert page.status_code == 200
        assert 'id="suggestion-immediate" name="suggestion" value="immediate" checked' in page.text
        chosen = {
            "suggestion": "daily",
            "reminder": "off",
            "replacement_missing": "immediate",
            "application": "daily",
            "csrf_token": me.json()["csrf_token"],
        }
        saved = await http.post("/account/voorkeuren", data=chosen)
        assert saved.status_code == 303
        shown = (await http.get("/account/voorkeuren")).text
        assert 'id="suggestion-daily" name="suggestion" value="daily" checked' in shown
        assert 'id="reminder-off" name="reminder" value="off" checked' in shown
        for wrong in ({**chosen, "reminder": "hourly"}, {**chosen, "application": ""}):
            refused = await http.post("/account/voorkeuren", data=wrong)
            assert refused.status_code == 422 and 'role="alert"' in refused.text
    async with db() as session:
        user = await session.scalar(select(UserRow).where(UserRow.email == coordinator.email))
        assert user is not None
        kept = await choices_of(session, user.id)
    assert kept == {"suggestion": "daily", "reminder": "off", "application": "daily"}


async def test_a_school_chooses_for_its_matches_and_not_for_coordinators_kinds(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[2])
    page = await client.get("/account/voorkeuren", headers=school.bearer)
    assert page.status_code == 200 and 'name="accepted"' in page.text
    assert 'name="suggestion"' not in page.text
    saved = await client.post(
        "/account/voorkeuren",
        data={"accepted": "daily", "revoked": "off"},
        headers=school.bearer,
    )
    assert saved.status_code == 303
    refused = await client.post(
        "/account/voorkeuren",
        data={"accepted": "daily", "revoked": "off", "suggestion": "weekly"},
        headers=school.bearer,
    )
    assert refused.status_code == 303  # a kind the role does not hear of is not read at all
    admin = await accounts.create("admin")
    assert (
        'type="radio"' not in (await client.get("/account/voorkeuren", headers=admin.bearer)).text
    )


async def test_beheer_names_a_new_organisation_and_keeps_the_form_when_a_field_is_wrong(
    app: FastAPI, accounts: Accounts, db: Db
) -> None:
    admin = await accounts.create("admin")
    number, email = institution_number(), f"nieuw-{institution_number()}@school.example"
    form = {"role": "school", "email": email, "name": "Nora Maes",
            "password": "een lang wachtwoord", "number": number}  # fmt: skip
    async with browser(app) as http:
        me = await http.post("/api/session", json={"email": admin.email, "password": PASSWORD})
        form["csrf_token"] = me.json()["csrf_token"]
        nameless = await http.post("/beheer/gebruikers", data=form)
        assert nameless.status_code == 422
        assert "Geef de naam van de organisatie." in nameless.text
        assert f'value="{email}"' in nameless.text and f'value="{number}"' in nameless.text
        assert "een lang wachtwoord" not in nameless.text
        bad_number = {**form, "role": "provider", "number": "0403.170.702",
                      "organisation_name": "Garage <Y>"}  # fmt: skip
        refused = await http.post("/beheer/gebruikers", data=bad_number)
        assert refused.status_code == 422 and "Geen geldig ondernemingsnummer." in refused.text
        assert 'value="Garage &lt;Y&gt;"' in refused.text
        named = await http.post(
            "/beheer/gebruikers", data={**form, "organisation_name": "Sint-Jan"}
        )
        assert named.status_code == 303
        listed = await http.get("/beheer")
    async with db() as session:
        organisation = await session.scalar(
            select(OrganisationRow).where(
                OrganisationRow.kind == "school", OrganisationRow.number == number
            )
        )
    assert organisation is not None and organisation.name == "Sint-Jan"
    assert "<td>Sint-Jan</td><td>school</td>" in listed.text


async def test_an_organisation_named_by_its_number_gets_its_name(
    app: FastAPI, accounts: Accounts, db: Db
) -> None:
    number = enterprise_number_of(10_000_000 + int(institution_number()))
    await accounts.create("provider", number)  # as the CLI made them: named by the number
    admin = await accounts.create("admin")
    async with browser(app) as http:
        me = await http.post("/api/session", json={"email": admin.email, "password": PASSWORD})
        form = {"role": "provider", "email": f"hr-{number}@bedrijf.example", "name": "Hilde",
                "password": "een lang wachtwoord", "number": number, "organisation_name": "Bouw NV",
                "csrf_token": me.json()["csrf_token"]}  # fmt: skip
        assert (await http.post("/beheer/gebruikers", data=form)).status_code == 303
    async with db() as session:
        names = await session.scalars(
            select(OrganisationRow.name).where(OrganisationRow.number == number)
        )
        assert list(names) == ["Bouw NV"]


def organisations_section(page: str) -> str:
    """The part of /beheer listing organisations."""
    return page.split('id="organisaties"', 1)[1].split('id="gebruikers"', 1)[0]


async def test_beheer_shows_each_organisations_status_and_filters_on_it(
    app: FastAPI, accounts: Accounts
) -> None:
    admin = await accounts.create("admin")
    approved = enterprise_number()
    await accounts.create("provider", approved)
    pending = enterprise_number()
    application = {"kind": "company", "number": pending, "organisation_name": "Wacht & Co <BV>",
                   "postal_code": "3500", "person_name": "Hilde", "password": PASSWORD,
                   "email": f"hilde-{pending.replace('.', '')}@wacht.example"}  # fmt: skip
    async with browser(app) as http:
        assert (await http.post("/api/registrations", json=application)).status_code == 202
        me = await http.post("/api/session", json={"email": admin.email, "password": PASSWORD})
        assert me.status_code == 200
        shown = {  # the section of the organisations (the users' one names them too)
            status: organisations_section(
                (await http.get("/beheer", params={"status": status})).text
            )
            for status in ("pending", "approved", "refused")
        }
        unknown = await http.get("/beheer", params={"status": "<allemaal>"})
    assert "<td>Wacht &amp; Co &lt;BV&gt;</td>" in shown["pending"]
    assert f"<td>{pending}</td>" in shown["pending"]
    assert "wacht op goedkeuring (e-mailadres nog niet bevestigd)" in shown["pending"]
    assert '<option value="pending" selected>' in shown["pending"]
    assert f"<td>{approved}</td>" not in shown["pending"]
    assert f"<td>{pending}</td>" not in shown["approved"]
    assert pending not in shown["refused"] and approved not in shown["refused"]
    assert unknown.status_code == 200 and "&lt;allemaal&gt;" not in unknown.text
