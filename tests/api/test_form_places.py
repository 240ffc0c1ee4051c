"""Small things on a school's form: its own postal code is filled in, Brussels communes are named
in Dutch and French ("Brussel / Bruxelles"), and an unknown postal code is shown as a problem
(not in the green of a found place)."""

import httpx
from sqlalchemy import update

from shared.accounts import OrganisationRow
from tests.api.builders import Accounts
from tests.notifier import events
from tests.review.conftest import Sessions


async def test_the_school_form_starts_with_the_schools_postal_code(
    client: httpx.AsyncClient, accounts: Accounts, db: Sessions
) -> None:
    number = events.institution_number()
    school = await accounts.create("school", number)
    first = await client.get("/school/behoeften/nieuw", headers=school.bearer)
    assert first.status_code == 200  # nothing known yet: an empty field
    async with db.begin() as session:
        await session.execute(
            update(OrganisationRow)
            .where(OrganisationRow.kind == "school", OrganisationRow.number == number)
            .values(postal_code="3500")
        )
    form = await client.get("/school/behoeften/nieuw", headers=school.bearer)
    assert form.status_code == 200
    assert 'name="postal_code"' in form.text and 'value="3500"' in form.text


async def test_postal_codes_are_named_as_people_know_them(
    client: httpx.AsyncClient, accounts: Accounts
) -> None:
    school = await accounts.create("school", events.institution_number())
    brussels = await client.get("/postcode?postal_code=1000", headers=school.bearer)
    assert "Brussel / Bruxelles" in brussels.text and 'class="lookup"' in brussels.text
    ukkel = await client.get("/postcode?postal_code=1180", headers=school.bearer)
    assert "Ukkel / Uccle" in ukkel.text
    unknown = await client.get("/postcode?postal_code=9999", headers=school.bearer)
    assert "Onbekende postcode" in unknown.text
    assert 'class="error"' in unknown.text and "lookup" not in unknown.text
