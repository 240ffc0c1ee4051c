"""Which notifications a batch's suggestions make, without a database."""

from dataclasses import replace

from services.notifier.grouping import group_key, suggestion_notices
from services.notifier.templates import MatchFacts
from tests.builders import today
from tests.notifier import builders

DAY = today()


def _suggestions(count: int, region: str = "Limburg") -> list[tuple[MatchFacts, str]]:
    return [(replace(builders.facts(), match_id=f"m-{index}"), region) for index in range(count)]


def test_one_suggestion_is_its_own_mail() -> None:
    coordinator = builders.coordinator(1, "Limburg")
    (notice,) = suggestion_notices(_suggestions(1), {"Limburg": [coordinator]}, DAY)
    assert (notice.match_id, notice.route.type) == ("m-0", "suggestion")
    assert [d.channel for d in notice.route.deliveries] == ["email"]


def test_several_suggestions_for_one_coordinator_are_one_mail() -> None:
    coordinator = builders.coordinator(1, "Limburg")
    suggestions = _suggestions(3)
    notices = suggestion_notices(suggestions, {"Limburg": [coordinator]}, DAY)
    inbox = [n for n in notices if n.route.type == "suggestion"]
    (grouped,) = [n for n in notices if n.route.type == "digest"]
    assert [n.match_id for n in inbox] == ["m-0", "m-1", "m-2"]
    assert all(n.route.deliveries == () for n in inbox)
    assert grouped.match_id == group_key([facts for facts, _ in suggestions])
    assert [(d.channel, d.address) for d in grouped.route.deliveries] == [
        ("email", coordinator.email)
    ]
    assert grouped.body["match_ids"] == ["m-0", "m-1", "m-2"]
    assert grouped.message.subject == f"Schakel: 3 nieuwe suggesties ({DAY:%d-%m-%Y})"


def test_daily_digest_coordinators_and_other_regions_are_left_as_they_were() -> None:
    daily = builders.coordinator(1, "Limburg", digest="daily")
    once = builders.coordinator(2, "Antwerpen")
    suggestions = [*_suggestions(2), (replace(builders.facts(), match_id="a-0"), "Antwerpen")]
    notices = suggestion_notices(suggestions, {"Limburg": [daily], "Antwerpen": [once]}, DAY)
    routes = {(n.match_id, n.route.recipient): n.route for n in notices}
    assert set(routes) == {
        ("m-0", "coordinator:1"),
        ("m-1", "coordinator:1"),
        ("a-0", "coordinator:2"),
    }
    assert routes["m-0", "coordinator:1"].deliveries[0].channel == "digest"
    assert routes["a-0", "coordinator:2"].deliveries[0].channel == "email"


def test_a_group_is_named_by_its_suggestions_whatever_their_order() -> None:
    facts = [facts for facts, _ in _suggestions(3)]
    assert group_key(facts) == group_key(facts[::-1]) != group_key(facts[:2])
    assert len(group_key(facts)) <= 100
