"""Mail texts are Dutch, readable, carry the right contact and escape user text in HTML."""

from services.notifier import templates
from tests.builders import in_days
from tests.notifier.builders import facts, provider, school


def test_suggestion_subject_names_school_provider_field_distance_and_score() -> None:
    message = templates.suggestion(facts())
    assert message.subject == (
        "Nieuwe suggestie voor VTI Hasselt: Garage X (auto, 12 km) — score 0,87"
    )
    assert "Bedrijfsstage leraar" in message.text
    assert "Zelfde vakgebied (auto)" in message.html


def test_accepted_mail_gives_each_party_the_other_partys_contact() -> None:
    match = facts()
    to_school = templates.accepted(match, match.school, match.provider)
    to_provider = templates.accepted(match, match.provider, match.school)
    assert "bart.claes@garage-x.example" in to_school.text
    assert "an.peeters@school.example" not in to_school.text
    assert "an.peeters@school.example" in to_provider.text
    assert to_provider.text.startswith("Beste Bart Claes")


def test_user_text_is_escaped_in_html_but_kept_in_plain_text() -> None:
    match = facts(school("Sint-Jan <b>&</b> Co"), provider('Garage "X"'))
    message = templates.suggestion(match)
    assert "Sint-Jan &lt;b&gt;&amp;&lt;/b&gt; Co" in message.html
    assert "<b>" not in message.html
    assert "Sint-Jan <b>&</b> Co" in message.text


def test_digest_lists_every_suggestion_with_the_date() -> None:
    day = in_days(50)
    message = templates.digest("Els", day, [facts(), facts(provider_party=provider("Garage Y"))])
    expected_date = f"{day.day:02d}-{day.month:02d}-{day.year}"
    assert message.subject == f"Schakel: 2 nieuwe suggesties ({expected_date})"
    assert "1. VTI Hasselt: Garage X" in message.text
    assert "2. VTI Hasselt: Garage Y" in message.text


def test_reminder_and_flag_say_what_is_expected() -> None:
    assert "3 werkdagen" in templates.reminder(facts(), 3).text
    flag = templates.replacement_missing(facts())
    assert flag.subject.startswith("Let op: bedrijfsstage zonder vervangende activiteit")
