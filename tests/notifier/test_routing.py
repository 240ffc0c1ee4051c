"""Suggestions go to the coordinators of the school's region; accepted matches to both parties."""

from services.notifier.routing import Coordinator, Delivery, Route, to_coordinators, to_party
from tests.notifier.builders import coordinator, provider, school

COORDINATORS = [
    coordinator(1, "Limburg"),
    coordinator(2, "Limburg", digest="daily"),
    coordinator(3, "Antwerpen"),
]


def test_suggestion_reaches_only_the_coordinators_of_the_region() -> None:
    routes = to_coordinators(COORDINATORS, "Limburg", "suggestion")
    assert [route.recipient for route in routes] == ["coordinator:1", "coordinator:2"]


def test_digest_coordinators_get_suggestions_in_the_inbox_and_digest_only() -> None:
    immediate, daily = to_coordinators(COORDINATORS, "Limburg", "suggestion")
    assert immediate.deliveries == (Delivery("email", "rtc-1@rtc.example"),)
    assert daily.deliveries == (Delivery("digest", "rtc-2@rtc.example"),)


def test_reminders_and_flags_are_mailed_to_digest_coordinators_too() -> None:
    for notification_type in ("reminder", "replacement_missing"):
        routes = to_coordinators(COORDINATORS, "Limburg", notification_type)
        assert [route.deliveries[0].channel for route in routes] == ["email", "email"]


def test_each_kind_is_mailed_as_the_coordinator_chose_it() -> None:
    choosing = Coordinator(
        4, "Limburg", "Els", "els@rtc.example", {"reminder": "off", "replacement_missing": "daily"}
    )
    (reminder,) = to_coordinators([choosing], "Limburg", "reminder")
    (flag,) = to_coordinators([choosing], "Limburg", "replacement_missing")
    (suggestion,) = to_coordinators([choosing], "Limburg", "suggestion")
    assert reminder.deliveries == ()  # the inbox only
    assert flag.deliveries == (Delivery("digest", "els@rtc.example"),)
    assert suggestion.deliveries == (Delivery("email", "els@rtc.example"),)  # the default


def test_a_contact_who_chose_no_mail_still_gets_the_webhook() -> None:
    route = to_party(provider(), {"0403.170.701"}, "revoked", "off")
    assert route.deliveries == (Delivery("webhook", "0403.170.701"),)
    daily = to_party(school(), set(), "accepted", "daily")
    assert daily.deliveries == (Delivery("digest", "an.peeters@school.example"),)


def test_a_region_without_coordinators_routes_nowhere() -> None:
    assert to_coordinators(COORDINATORS, "West-Vlaanderen", "suggestion") == []


def test_accepted_match_mails_the_contact_and_calls_a_configured_webhook() -> None:
    assert to_party(school(), set()) == Route(
        "school:048561", "accepted", (Delivery("email", "an.peeters@school.example"),)
    )
    with_hook = to_party(provider(), {"0403.170.701"})
    assert with_hook.recipient == "provider:0403.170.701"
    assert with_hook.deliveries[1] == Delivery("webhook", "0403.170.701")
