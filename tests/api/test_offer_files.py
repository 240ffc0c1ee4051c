"""Offer files as people make them, pure: the Dutch template read back as the contract's codes,
Belgian dates, Dutch labels, Windows-1252 text and Excel workbooks, and what cannot be read."""

import pytest

from services.api import offer_csv, offer_sheets
from tests.builders import today

ENTERPRISE = "0403.170.701"


def _template_rows() -> list[list[str]]:
    return offer_csv.dutch_template(today(), ENTERPRISE, "Garage X")


def _real_row(example: list[str]) -> list[str]:
    return ["garage-x-1", "", *example[2:]]


def test_the_dutch_template_reads_back_as_codes_and_its_example_row_is_skipped() -> None:
    header, example = _template_rows()
    assert header[:3] == ["id aanbod", "ondernemingsnummer", "naam organisatie"]
    assert example[1] == ENTERPRISE
    content = offer_csv.csv_bytes([header, example, _real_row(example)])
    assert content.startswith("\ufeff".encode())
    example_row, real = list(offer_csv.read_rows(content, max_rows=10))
    assert example_row.is_example and not real.is_example
    document = real.document
    start = today().toordinal() + 30
    assert document["period"]["start"] == today().fromordinal(start).isoformat()
    assert (document["kind"], document["venue"]) == ("teacher_internship", "company")
    assert document["provider"] == {"name": "Garage X", "type": "company", "postal_code": "3600"}
    assert document["grades"] == ["G3", "SNS"]


def test_excel_on_windows_saves_windows_1252_and_that_reads() -> None:
    text = (
        "ID aanbod;Type organisatie;Soort;Titel;Vakgebied;Begindatum;Einddatum;Postcode;"
        "Contactpersoon;E-mail contactpersoon\n"
        "x-1;Sectororganisatie;Gastexpert;Café-avond;Koeling en warmte;6/9/2027;31/12/2027;"
        "3600;Zoë;z@x.be\n"
    )
    (row,) = offer_csv.read_rows(text.encode("cp1252"), max_rows=10)
    document = row.document
    assert document["title"] == "Café-avond"
    assert document["field"] == "koeling-warmte"
    assert document["provider"]["type"] == "sector_organisation"
    assert document["period"] == {"start": "2027-09-06", "end": "2027-12-31"}


def test_values_that_mean_nothing_are_passed_on_for_the_contract_to_refuse() -> None:
    text = "offer_id,provider_type,kind,title,field,period_start,period_end,provider_postal_code,"
    text += "contact_name,contact_email\nx,bedrijf,stage,T,autotechniek,31/02/2027,morgen,1,a,b\n"
    (row,) = offer_csv.read_rows(text.encode(), max_rows=10)
    assert row.document["field"] == "autotechniek"
    assert row.document["period"] == {"start": "31/02/2027", "end": "morgen"}
    assert row.document["provider"]["type"] == "company"  # the label, any case
    assert row.document["kind"] == "stage"


def test_a_workbook_reads_like_the_csv_it_would_save_as() -> None:
    header, example = _template_rows()
    workbook = offer_sheets.workbook_bytes("Aanbod", [header, example, _real_row(example)])
    from_sheet = [row.document for row in offer_csv.read_rows(workbook, max_rows=10)]
    from_csv = offer_csv.read_rows(offer_csv.csv_bytes([header, example, _real_row(example)]), 10)
    assert from_sheet == [row.document for row in from_csv]


def test_files_that_cannot_be_read_say_why() -> None:
    with pytest.raises(offer_csv.CsvFileError) as broken:
        list(offer_csv.read_rows(offer_sheets.ZIP_MAGIC + b"not really a zip", max_rows=10))
    assert broken.value.problem == "sheet"
    with pytest.raises(offer_csv.CsvFileError) as header:
        list(offer_csv.read_rows("titel;kleur\nx;y\n".encode("cp1252"), max_rows=10))
    assert header.value.problem == "header"
    assert header.value.detail.startswith("ontbreekt: id aanbod, type organisatie, postcode")
    assert header.value.detail.endswith("; onbekend: kleur")


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workbook = offer_sheets.workbook_bytes("Aanbod", _template_rows())
    monkeypatch.setattr(offer_sheets, "MAX_UNPACKED_BYTES", len(workbook))
    with pytest.raises(offer_csv.CsvFileError) as bomb:
        list(offer_csv.read_rows(workbook, max_rows=10))
    assert bomb.value.problem == "sheet"
    assert "unpacks to" in str(bomb.value)
