"""The pure parts of the pages, without a browser: form -> contract document, the Dutch field
messages, the heat map of the shortage radar on one scale and its map, the queue's late
marker."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from starlette.datastructures import FormData

from services.api.pages import posting_forms
from services.api.pages.dashboard_parts import heat_maps
from services.api.pages.heat import heat_legend, heat_level
from services.api.pages.shortage_map import shortage_map
from services.api.posting_resources import NEEDS, OFFERS
from services.api.principal import Principal
from services.review.queue import is_late
from services.review.stats import ShortageCell
from services.review.tables import ReviewMatch
from shared.calendar import reminder_due_at
from tests.builders import days_from_today

SCHOOL = Principal(
    1, "an@school.example", "An", "school", 1, "VTI Hasselt", "048561", None, "session"
)
PROVIDER = Principal(
    2, "jan@garage.example", "Jan", "provider", 2, "Garage X", "0403.170.701", None, "session"
)


def _form(**fields: str | list[str]) -> FormData:
    items: list[tuple[str, str]] = []
    for name, value in fields.items():
        items.extend((name, v) for v in (value if isinstance(value, list) else [value]))
    return FormData(items)


START, END = days_from_today(60), days_from_today(148)


def _need_form(**overrides: str | list[str]) -> FormData:
    fields: dict[str, str | list[str]] = {
        "kind": "teacher_internship", "field": "auto", "title": "Bedrijfsstage EV",
        "keywords": "diagnose, EV", "grades": ["G3"], "period_start": START,
        "period_end": END, "period_days": "5", "postal_code": "3500",
        "contact_name": "An", "contact_email": "an@school.example", "need_id": "n-1",
    }  # fmt: skip
    return _form(**{**fields, **overrides})


def test_a_filled_need_form_is_a_valid_need_of_the_users_school() -> None:
    document = posting_forms.need_document(_need_form(), SCHOOL)
    assert posting_forms.field_errors(NEEDS, document) == {}
    assert document["school"] == {
        "institution_number": "048561", "name": "VTI Hasselt", "postal_code": "3500",
    }  # fmt: skip
    assert document["keywords"] == ["diagnose", "EV"]
    assert document["period"] == {"start": START, "end": END, "days": "5"}


def test_need_errors_are_dutch_and_next_to_their_field() -> None:
    form = _need_form(
        title="EV", postal_code="9999", period_end=days_from_today(30), contact_email="geen-adres",
        kind="guest_expert", replacement="ja", replacement_pupils="0",
    )  # fmt: skip
    errors = posting_forms.field_errors(NEEDS, posting_forms.need_document(form, SCHOOL))
    assert errors["title"] == "Minstens 3 tekens."
    assert errors["postal_code"] == "Geen postcode van Vlaanderen of Brussel."
    assert errors["period_end"] == "De einddatum ligt voor de begindatum."
    assert errors["contact_email"] == "Geen geldig e-mailadres."
    assert errors["replacement_pupils"] == "Minstens 1."


def test_only_filled_fields_get_a_message_while_typing() -> None:
    form = _form(title="EV")
    errors = posting_forms.field_errors(NEEDS, posting_forms.need_document(form, SCHOOL))
    assert errors["kind"] == "Vul dit veld in."
    assert posting_forms.touched(errors, form) == {"title": "Minstens 3 tekens."}


def test_an_offer_form_is_an_offer_of_the_users_organisation() -> None:
    form = _need_form(provider_type="company", capacity="2", venue="mobile", cost_eur="12,50")
    document = posting_forms.offer_document(form, PROVIDER)
    document["offer_id"] = "o-1"
    assert posting_forms.field_errors(OFFERS, document) == {}
    assert document["provider"]["enterprise_number"] == "0403.170.701"
    assert document["cost_eur"] == "12.50"
    wrong = posting_forms.offer_document(_need_form(field="ruimtevaart"), PROVIDER)
    assert posting_forms.field_errors(OFFERS, wrong)["field"] == "Kies een vakgebied uit de lijst."


def test_the_heat_map_always_has_grades_one_and_two_and_one_scale_for_every_region() -> None:
    cells = [
        ShortageCell("Limburg", "auto", "G3", 8), ShortageCell("Limburg", "bouw", "G3", 2),
        ShortageCell("Antwerpen", "auto", "G3", 1), ShortageCell("Antwerpen", "bouw", "G2", 2),
    ]  # fmt: skip
    maps = heat_maps(cells)
    assert maps["Limburg"]["grades"] == ["G1", "G2", "G3"]
    assert maps["Limburg"]["fields"] == ["auto", "bouw"]
    assert maps["Limburg"]["levels"] == {("auto", "G3"): 4, ("bouw", "G3"): 2}
    assert maps["Antwerpen"]["levels"] == {("auto", "G3"): 1, ("bouw", "G2"): 2}
    assert [step.label for step in heat_legend()] == ["0", "1", "2\u20133", "4\u20137", "8 of meer"]
    assert [heat_level(n) for n in (0, 1, 3, 4, 7, 8, 500)] == [0, 1, 2, 3, 3, 4, 4]


def test_the_map_places_needs_by_postal_code_inside_its_frame() -> None:
    drawn = shortage_map({"8970": 1, "3630": 9, "0000": 2})
    assert [(s.postal_code, s.locality, s.level) for s in drawn.spots] == [
        ("3630", "Eisden", 4), ("8970", "Poperinge", 1),
    ]  # fmt: skip
    assert drawn.unplaced == 2
    west, east = sorted(drawn.spots, key=lambda s: s.x)
    assert west.postal_code == "8970" and east.postal_code == "3630"
    for spot in drawn.spots:
        assert 0 < spot.x < drawn.width and 0 < spot.y < drawn.height
    assert [r.name for r in drawn.regions] == [
        "Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen",
    ]  # fmt: skip


def test_late_after_the_reminder_delay() -> None:
    monday = datetime(2026, 11, 30, 9, tzinfo=UTC)
    match = ReviewMatch(status="open", suggested_at=monday)

    def by(now: datetime) -> Callable[[datetime], bool]:
        return lambda suggested_at: reminder_due_at(suggested_at, 3) <= now

    assert not is_late(match, by(monday + timedelta(days=2)))
    assert is_late(match, by(monday + timedelta(days=3, hours=1)))
    assert not is_late(
        ReviewMatch(status="accepted", suggested_at=monday), by(monday + timedelta(days=30))
    )
