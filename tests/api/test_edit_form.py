"""The edit form of a posting, pure: the stored posting fills the form, and the form sent as it
stands is the same posting again (every field survives the round trip)."""

from typing import Any

import pytest
from starlette.datastructures import FormData

from services.api.pages import posting_forms
from services.api.posting_resources import NEEDS, OFFERS, PostingResource
from services.api.principal import Principal
from tests.builders import need_event, offer_event


def _principal(role: str, number: str, name: str) -> Principal:
    return Principal(
        user_id=1, email="x@example.be", name="X", role=role,  # type: ignore[arg-type]
        organisation_id=1, organisation_name=name, organisation_number=number,
        rtc_region=None, authenticated_by="session",
    )  # fmt: skip


def _as_form(values: dict[str, Any]) -> FormData:
    """The form as a browser sends it: a list field once per value."""
    items: list[tuple[str, str]] = []
    for name, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            items.append((name, str(one)))
    return FormData(items)


@pytest.mark.parametrize(
    ("side", "posting", "principal"),
    [
        (
            NEEDS,
            need_event(replacement={"grades": ["G2"], "pupils": 18}, max_distance_km=37.5),
            _principal("school", "048561", "VTI Hasselt"),
        ),
        (
            OFFERS,
            offer_event(cost_eur=12.5, venue="mobile", grades=["G3", "SNS"]),
            _principal("provider", "0403.170.701", "Garage X"),
        ),
    ],
    ids=["need", "offer"],
)
def test_a_stored_posting_fills_its_form_and_comes_back_unchanged(
    side: PostingResource, posting: dict[str, Any], principal: Principal
) -> None:
    values = posting_forms.form_values(side, posting)
    build = posting_forms.need_document if side is NEEDS else posting_forms.offer_document
    document = build(_as_form(values), principal)
    assert posting_forms.field_errors(side, document) == {}
    again = side.submitted.model_validate({**document, "event_id": posting["event_id"]})
    assert again == side.submitted.model_validate(posting)
