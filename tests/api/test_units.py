"""Pure pieces, no I/O: the sign-in throttle's rule, passwords, CSV rows."""

import pytest

from services.api import offer_csv
from services.api.credentials import hash_password, password_matches, token_hash
from services.api.ratelimit import ThrottleRule, account_key
from tests.builders import days_from_today, today

RULE = ThrottleRule(
    pair_free_failures=3,
    client_free_failures=100,
    account_free_failures=50,
    first_delay_seconds=30,
    max_delay_seconds=900,
)


def test_the_throttle_waits_only_past_the_free_failures_doubling_up_to_the_cap() -> None:
    waits = [RULE.delay_seconds(failures, free_failures=3) for failures in range(1, 11)]
    assert waits == [0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert RULE.delay_seconds(10_000, free_failures=3) == 900


def test_a_sign_in_counts_against_its_pair_its_client_and_unless_known_its_account() -> None:
    account = account_key(" An@School.Example ")
    assert account == account_key("an@school.example") and "school" not in account
    stranger = RULE.subjects(account, "203.0.113.9", known_client=False)
    assert stranger == {
        f"pair:{account}:203.0.113.9": 3,
        "client:203.0.113.9": 100,
        f"account:{account}": 50,
    }
    assert f"account:{account}" not in RULE.subjects(account, "203.0.113.9", known_client=True)


def test_passwords_and_tokens_are_stored_as_hashes() -> None:
    stored = hash_password("geheim")
    assert stored.startswith("$argon2id$")
    assert password_matches(stored, "geheim")
    assert not password_matches(stored, "Geheim")
    assert not password_matches(None, "geheim")
    assert not password_matches("not a hash", "geheim")
    assert len(token_hash("t")) == 64


def test_csv_rows_become_contract_documents() -> None:
    start, end = days_from_today(30), days_from_today(61)
    text = (
        "offer_id;provider_enterprise_number;provider_name;provider_type;provider_postal_code;"
        "contact_name;contact_email;kind;title;field;period_start;period_end;grades;cost_eur\n"
        'o-1;0403.170.701;Garage X;company;3600;Jan;j@x.example;guest_expert;"Les; met ""quotes""";'
        f"auto;{start};{end};G2 | G3;12,5\n"
        ";;;;;;;;;;;;;\n"
        "o-2;0403.170.701;Garage X;company;3600;Jan;j@x.example;guest_expert;T;auto;a;b;;;extra\n"
    )
    rows = list(offer_csv.read_rows(("\ufeff" + text).encode(), max_rows=10))
    assert [row.number for row in rows] == [2, 4]
    first = rows[0].document
    assert first["title"] == 'Les; met "quotes"'
    assert first["provider"]["enterprise_number"] == "0403.170.701"
    assert first["period"] == {"start": start, "end": end}
    assert (first["grades"], first["cost_eur"]) == (["G2", "G3"], "12.5")
    assert "capacity" not in first
    assert rows[1].problem == "15 cells for 14 columns"


def test_csv_errors_point_at_columns_and_the_template_has_every_column() -> None:
    assert offer_csv.column_of("provider.enterprise_number") == "provider_enterprise_number"
    assert offer_csv.column_of("keywords.3") == "keywords"
    assert offer_csv.column_of("period") == "period_end"
    assert offer_csv.column_of("(event)") == "(event)"
    header = offer_csv.csv_bytes(offer_csv.dutch_template(today(), "0403.170.701", "X")[:1])
    assert len(header.decode().split(";")) == len(offer_csv.COLUMNS)
    with pytest.raises(offer_csv.TooManyRowsError):
        list(offer_csv.read_rows(header + b"x\n" * 3, max_rows=2))
