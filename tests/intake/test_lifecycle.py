"""The posting life cycle rules, without I/O."""

from datetime import UTC, datetime

from services.intake import lifecycle, needs
from shared.contracts import NeedSubmitted, OfferSubmitted
from shared.contracts.submitted import replacement_need_id
from tests.builders import days_from_today, need_event, offer_event

NOW = datetime.now(UTC)
TODAY = NOW.date()


def submitted_need(**overrides: object) -> NeedSubmitted:
    return NeedSubmitted.model_validate(need_event(**overrides))


def test_new_need_is_registered_open_with_its_place() -> None:
    [need] = needs.submit_need(submitted_need(), None, None, TODAY, NOW)
    assert (need.version, need.status) == (1, "open")
    assert need.place.locality == "Hasselt" and need.place.rtc_region == "Limburg"
    assert need.registered_at == NOW


def test_internship_with_replacement_block_creates_a_linked_replacement_need() -> None:
    command = submitted_need(replacement={"grades": ["G2"], "pupils": 16})
    need, replacement = needs.submit_need(command, None, None, TODAY, NOW)
    assert replacement.need_id == replacement_need_id(need.need_id)
    assert replacement.kind == "replacement_activity"
    assert replacement.linked_need_id == need.need_id
    assert replacement.period == need.period
    assert replacement.school == need.school
    assert replacement.grades == ["G2"]
    assert "16 leerlingen" in replacement.description


def test_replacing_a_need_bumps_its_version() -> None:
    [first] = needs.submit_need(submitted_need(need_id="n-1"), None, None, TODAY, NOW)
    [second] = needs.submit_need(
        submitted_need(need_id="n-1", title="Nieuwe titel"), first, None, TODAY, NOW
    )
    assert (second.version, second.title, second.status) == (2, "Nieuwe titel", "open")


def test_dropping_the_replacement_block_withdraws_the_linked_need() -> None:
    with_block = submitted_need(need_id="n-2", replacement={"grades": ["G3"], "pupils": 12})
    need, linked = needs.submit_need(with_block, None, None, TODAY, NOW)
    _, withdrawn = needs.submit_need(submitted_need(need_id="n-2"), need, linked, TODAY, NOW)
    assert (withdrawn.need_id, withdrawn.status, withdrawn.version) == (
        linked.need_id,
        "withdrawn",
        2,
    )


def test_only_the_owning_school_may_replace_a_need() -> None:
    [need] = needs.submit_need(submitted_need(need_id="n-3"), None, None, TODAY, NOW)
    other_school = {"institution_number": "999999", "name": "Ander", "postal_code": "3500"}
    refusal = needs.submit_need(
        submitted_need(need_id="n-3", school=other_school), need, None, TODAY, NOW
    )
    assert (
        refusal
        == "need n-3 belongs to another organisation; only its owner may replace or withdraw it"
    )


def test_only_the_owning_provider_may_replace_an_offer() -> None:
    [offer] = lifecycle.submit_offer(
        OfferSubmitted.model_validate(offer_event(offer_id="o-1")), None, TODAY, NOW
    )
    stranger = {**offer_event()["provider"], "enterprise_number": "0202.239.951"}
    command = OfferSubmitted.model_validate(offer_event(offer_id="o-1", provider=stranger))
    assert "belongs to another organisation" in str(
        lifecycle.submit_offer(command, offer, TODAY, NOW)
    )


def test_a_posting_whose_period_has_ended_is_refused() -> None:
    ended = days_from_today(-1)
    command = submitted_need(period={"start": days_from_today(-100), "end": ended})
    assert needs.submit_need(command, None, None, TODAY, NOW) == (
        f"the period ended on {ended}; nothing can be matched any more"
    )


def test_withdrawal_closes_the_posting_and_checks_the_owner_when_named() -> None:
    [need] = needs.submit_need(submitted_need(need_id="n-4"), None, None, TODAY, NOW)
    owner = need.school.institution_number
    assert lifecycle.withdraw("need n-4", need, "123456", NOW) == (
        "need n-4 belongs to another organisation; only its owner may withdraw it"
    )
    [closed] = lifecycle.withdraw("need n-4", need, owner, NOW)
    assert (closed.status, closed.version) == ("withdrawn", 2)
    assert lifecycle.withdraw("need n-4", closed, None, NOW) == "need n-4 is already withdrawn"
    assert lifecycle.withdraw("need n-5", None, None, NOW) == "need n-5 is not known"


def test_a_withdrawn_posting_cannot_be_replaced() -> None:
    [need] = needs.submit_need(submitted_need(need_id="n-6"), None, None, TODAY, NOW)
    closed = lifecycle.close(need, "withdrawn", NOW)
    refusal = needs.submit_need(submitted_need(need_id="n-6"), closed, None, TODAY, NOW)
    assert refusal == "need n-6 is withdrawn; post it under a new id instead"


def test_a_replacement_produced_before_the_closing_changes_content_and_keeps_status() -> None:
    command = submitted_need(need_id="n-7", replacement={"grades": ["G2"], "pupils": 16})
    need, linked = needs.submit_need(command, None, None, TODAY, NOW)
    closed, closed_linked = (lifecycle.close(n, "withdrawn", NOW) for n in (need, linked))
    changed = submitted_need(
        need_id="n-7", title="Stage elders", replacement={"grades": ["G2"], "pupils": 16}
    )
    later = lifecycle.ClosedLater(posting=True, replacement=True)
    again, again_linked = needs.submit_need(changed, closed, closed_linked, TODAY, NOW, later)
    assert (again.title, again.status, again.version) == ("Stage elders", "withdrawn", 3)
    assert (again_linked.status, again_linked.version) == ("withdrawn", 3)


def test_a_block_added_late_to_a_closed_internship_gives_a_closed_replacement_need() -> None:
    [need] = needs.submit_need(submitted_need(need_id="n-8"), None, None, TODAY, NOW)
    expired = lifecycle.close(need, "expired", NOW)
    block = submitted_need(need_id="n-8", replacement={"grades": ["G2"], "pupils": 16})
    later = lifecycle.ClosedLater(posting=True)
    again, linked = needs.submit_need(block, expired, None, TODAY, NOW, later)
    assert (again.status, linked.status, linked.version) == ("expired", "expired", 1)


def test_a_need_under_the_replacement_id_that_intake_did_not_link_is_never_taken() -> None:
    [other] = needs.submit_need(submitted_need(need_id="n-9"), None, None, TODAY, NOW)
    foreign = other.model_copy(update={"need_id": "n-10:vervanging"})
    block = submitted_need(need_id="n-10", replacement={"grades": ["G2"], "pupils": 16})
    refusal = needs.submit_need(block, None, foreign, TODAY, NOW)
    assert refusal == (
        "need id n-10:vervanging, which the replacement need of n-10 would get, is already "
        "taken; post the internship under another id"
    )
    [alone] = needs.submit_need(submitted_need(need_id="n-10"), None, foreign, TODAY, NOW)
    assert alone.need_id == "n-10"
