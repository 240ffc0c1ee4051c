"""CSV offer import: 10,000 rows with 3 % bad ones, each bad row reported with its column, every
good one published and registered by intake; the template, limits and file errors."""

import asyncio
import csv
import io
import time
import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.offer_cells import DUTCH_HEADERS
from services.api.offer_csv import COLUMNS, EXAMPLE_ID, XLSX, csv_bytes
from services.api.offer_sheets import sheet_rows
from services.intake.tables import OfferRow
from tests.api.builders import PROVIDERS, Account, Accounts, as_csv, offer_row
from tests.builders import days_from_today

ROWS = 10_000
# Every 33rd row is spoiled (3 %), cycling through these: column, bad value, expected message part.
SPOILERS = (
    ("provider_enterprise_number", "0403.170.702", "mod-97"),
    ("provider_enterprise_number", PROVIDERS[1], "not your organisation's enterprise number"),
    ("contact_email", "not-an-address", "email"),
    ("field", "kernfysica", "unknown field"),
    ("provider_postal_code", "4000", "not a postal code of Flanders or Brussels"),
    ("capacity", "-2", "greater than or equal to 1"),
    ("period_end", days_from_today(-1), "before start"),  # every row starts later
)


@pytest.fixture(scope="module")
async def provider(accounts: Accounts) -> Account:
    return await accounts.create("provider", PROVIDERS[0])


def upload(content: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("offers.csv", content, "text/csv")}


async def test_ten_thousand_offers_with_three_percent_bad_rows(
    client: httpx.AsyncClient,
    provider: Account,
    intake: None,
    db: async_sessionmaker[AsyncSession],
) -> None:
    run = f"csv-{uuid.uuid4().hex[:8]}"
    rows = [offer_row(run, n) for n in range(ROWS)]
    spoiled: dict[int, tuple[str, str]] = {}  # spreadsheet row -> (column, message part)
    for index in range(0, ROWS, 33):
        column, value, message = SPOILERS[(index // 33) % len(SPOILERS)]
        rows[index][column] = value
        spoiled[index + 2] = (column, message)  # header is row 1
    started = time.monotonic()
    answer = await client.post(
        "/api/offers/import", files=upload(as_csv(rows)), headers=provider.bearer
    )
    seconds = time.monotonic() - started
    print(f"import of {ROWS} rows answered in {seconds:.1f}s")
    assert answer.status_code == 202, answer.text[:500]
    result = answer.json()
    reported = {error["row"]: error for error in result["rejected"]}
    assert set(reported) == set(spoiled)
    for row, (column, message) in spoiled.items():
        assert reported[row]["column"] == column, reported[row]
        assert message in reported[row]["message"], reported[row]
    assert result["accepted"] == ROWS - len(spoiled) == len(result["offer_ids"])
    assert seconds < 30

    async def registered() -> int:
        async with db() as session:
            count = await session.scalar(
                select(func.count()).where(OfferRow.offer_id.like(f"{run}-%"))
            )
        return count or 0

    for _ in range(180):
        if (count := await registered()) >= result["accepted"]:
            break
        await asyncio.sleep(1)
    print(f"registered by intake {time.monotonic() - started:.1f}s after the upload started")
    assert count == result["accepted"]


async def test_the_template_is_the_dutch_one_of_the_callers_organisation_and_imports(
    client: httpx.AsyncClient, provider: Account
) -> None:
    assert (await client.get("/api/offers/import/template")).status_code == 401
    template = await client.get("/api/offers/import/template", headers=provider.bearer)
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    header, example = list(csv.reader(io.StringIO(template.text.lstrip("\ufeff")), delimiter=";"))
    assert header == [DUTCH_HEADERS[column] for column in COLUMNS]
    assert (example[0], example[1]) == (EXAMPLE_ID, PROVIDERS[0])
    assert "Bedrijfsstage leraar" in example  # labels, not codes
    as_is = await client.post(
        "/api/offers/import", files=upload(template.content), headers=provider.bearer
    )
    assert as_is.json() == {"accepted": 0, "rejected": [], "offer_ids": [], "skipped_rows": [2]}
    filled_in = [f"api-template-{uuid.uuid4().hex[:8]}", *example[1:]]
    answer = await client.post(
        "/api/offers/import", files=upload(csv_bytes([header, filled_in])), headers=provider.bearer
    )
    assert answer.json() == {
        "accepted": 1, "rejected": [], "offer_ids": [filled_in[0]], "skipped_rows": []
    }  # fmt: skip
    workbook = await client.get(
        "/api/offers/import/template", params={"format": "xlsx"}, headers=provider.bearer
    )
    assert workbook.headers["content-type"] == XLSX
    assert next(sheet_rows(workbook.content)) == header


async def test_file_level_problems(
    client: httpx.AsyncClient, provider: Account, accounts: Accounts
) -> None:
    too_many = as_csv([offer_row("many", n) for n in range(ROWS + 1)], delimiter=",")
    answer = await client.post(
        "/api/offers/import", files=upload(too_many), headers=provider.bearer
    )
    assert answer.status_code == 413
    assert "more than 10000 rows" in answer.json()["detail"]
    header = await client.post(
        "/api/offers/import", files=upload(b"offer_id;titel\nx;y\n"), headers=provider.bearer
    )
    assert header.status_code == 422
    assert "missing columns" in header.json()["errors"][0]["message"]
    binary = await client.post(
        "/api/offers/import", files=upload(b"offer_id;\x81\x8d\n"), headers=provider.bearer
    )
    assert "neither UTF-8 nor Windows-1252" in binary.json()["errors"][0]["message"]
    repeated = as_csv(
        [offer_row("twice", 1), offer_row("twice", 1), {**offer_row("x", 2), "title": ""}]
    )
    answer = await client.post(
        "/api/offers/import", files=upload(repeated), headers=provider.bearer
    )
    assert [(e["row"], e["column"]) for e in answer.json()["rejected"]] == [
        (3, "offer_id"),
        (4, "title"),
    ]
    school = await accounts.create("school", "048561")
    assert (
        await client.post("/api/offers/import", files=upload(repeated), headers=school.bearer)
    ).status_code == 403
