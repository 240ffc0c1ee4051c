"""Every posting event says its own side, posting id and owner, without adding to the wire."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from services.intake import lifecycle, needs
from shared.contracts import (
    NeedRegistered,
    NeedSubmitted,
    NeedWithdrawn,
    OfferRegistered,
    OfferSubmitted,
    OfferWithdrawn,
)
from tests.builders import need_event, offer_event

NOW = datetime.now(UTC)
SCHOOL = "048561"
PROVIDER = "0403.170.701"


def submitted_need() -> NeedSubmitted:
    return NeedSubmitted.model_validate(need_event(need_id="vti-2027-1", replacement={"pupils": 9}))


def submitted_offer() -> OfferSubmitted:
    return OfferSubmitted.model_validate(offer_event(offer_id="garage-x-2027-1"))


def withdrawn_need() -> NeedWithdrawn:
    return NeedWithdrawn(event_id=uuid.uuid4(), need_id="vti-2027-1", organisation_number=SCHOOL)


def withdrawn_offer() -> OfferWithdrawn:
    return OfferWithdrawn(event_id=uuid.uuid4(), offer_id="garage-x-2027-1")


def registered_needs() -> list[NeedRegistered]:
    registered = needs.submit_need(submitted_need(), None, None, NOW.date(), NOW)
    assert not isinstance(registered, str)
    return registered


def registered_offer() -> OfferRegistered:
    registered = lifecycle.submit_offer(submitted_offer(), None, NOW.date(), NOW)
    assert not isinstance(registered, str)
    return registered[0]


def every_event() -> list[BaseModel]:
    return [
        submitted_need(),
        submitted_offer(),
        withdrawn_need(),
        withdrawn_offer(),
        *registered_needs(),
        registered_offer(),
    ]


def test_a_need_says_it_is_a_need_of_its_school() -> None:
    internship, replacement = registered_needs()
    for need in (submitted_need(), internship):
        assert (need.side, need.posting_id, need.owner_number) == ("need", "vti-2027-1", SCHOOL)
    assert (replacement.side, replacement.posting_id) == ("need", "vti-2027-1:vervanging")
    assert replacement.owner_number == SCHOOL
    assert (withdrawn_need().side, withdrawn_need().posting_id) == ("need", "vti-2027-1")


def test_an_offer_says_it_is_an_offer_of_its_provider() -> None:
    for offer in (submitted_offer(), registered_offer()):
        assert (offer.side, offer.posting_id) == ("offer", "garage-x-2027-1")
        assert offer.owner_number == PROVIDER
    assert (withdrawn_offer().side, withdrawn_offer().posting_id) == ("offer", "garage-x-2027-1")


def test_the_side_is_known_from_the_model_alone() -> None:
    assert {model.side for model in (NeedSubmitted, NeedWithdrawn, NeedRegistered)} == {"need"}
    assert {model.side for model in (OfferSubmitted, OfferWithdrawn, OfferRegistered)} == {"offer"}


@pytest.mark.parametrize("event", every_event(), ids=lambda event: type(event).__name__)
def test_side_id_and_owner_never_travel_on_the_wire(event: BaseModel) -> None:
    fields = set(type(event).model_fields)
    assert set(json.loads(event.model_dump_json())) == fields
    assert set(event.model_dump()) == fields
    assert set(type(event).model_json_schema()["properties"]) == fields


def test_side_and_posting_id_sent_in_an_event_do_not_change_what_it_is_about() -> None:
    document = {
        "event_id": str(uuid.uuid4()),
        "need_id": "vti-2027-1",
        "side": "offer",
        "posting_id": "garage-x-2027-1",
        "owner_number": PROVIDER,
    }
    withdrawal = NeedWithdrawn.model_validate(document)
    assert (withdrawal.side, withdrawal.posting_id) == ("need", "vti-2027-1")


def test_a_changed_id_or_owner_is_what_the_posting_says() -> None:
    offer = registered_offer()
    moved = offer.model_copy(
        update={
            "offer_id": "garage-x-2027-2",
            "provider": offer.provider.model_copy(update={"enterprise_number": "0202.239.951"}),
        }
    )
    assert (moved.posting_id, moved.owner_number) == ("garage-x-2027-2", "0202.239.951")
