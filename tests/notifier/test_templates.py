"""Mail texts are Dutch, readable, carry the right contact and escape user text in HTML."""

from services.notifier import templates
from services.notifier.links import match_link
from shared.settings import Settings
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


def test_every_match_mail_leads_to_its_match_and_to_the_preferences() -> None:
    match, public = facts(), Settings().api_public_url
    messages = [
        templates.suggestion(match),
        templates.reminder(match, 3),
        templates.accepted(match, match.school, match.provider),
        templates.revoked(match, match.school, "De firma sluit"),
        templates.replacement_missing(match),
    ]
    for message in messages:
        assert f"{public}/matches/{match.match_id}" in message.text
        assert f'href="{public}/matches/{match.match_id}"' in message.html
        assert f"{public}/account/voorkeuren" in message.text
        assert f'href="{public}/account/voorkeuren"' in message.html


def test_the_digest_leads_to_the_queue_of_suggestions() -> None:
    message = templates.digest("Els", in_days(1), [facts()])
    assert f"{Settings().api_public_url}/beoordelen" in message.text


def test_a_match_id_in_a_link_is_one_escaped_path_segment() -> None:
    assert match_link("a/b?c<d>").endswith("/matches/a%2Fb%3Fc%3Cd%3E")


def test_account_mails_are_dutch_and_carry_their_link_escaped_in_html() -> None:
    url = "https://schakel.example/wachtwoord-herstellen?token=a&b"
    reset = templates.password_reset("An <Peeters>", url, 60)
    assert url in reset.text and "60 minuten" in reset.text and "An <Peeters>" in reset.text
    assert 'href="https://schakel.example/wachtwoord-herstellen?token=a&amp;b"' in reset.html
    assert "An &lt;Peeters&gt;" in reset.html
    changed = templates.password_changed("An")
    assert changed.subject == "Schakel: uw wachtwoord is gewijzigd"
    assert "/wachtwoord-vergeten" in changed.text


def test_a_waiting_application_leads_the_coordinator_to_the_applications() -> None:
    message = templates.application_waiting("Els", "Bouw & <Zonen>", "3500", "Limburg")
    public = Settings().api_public_url
    assert message.subject == "Schakel: Bouw & <Zonen> wacht op uw goedkeuring"
    assert f"{public}/aanmeldingen" in message.text and "RTC Limburg" in message.text
    assert f'href="{public}/aanmeldingen"' in message.html
    assert "Bouw &amp; &lt;Zonen&gt;" in message.html and "<Zonen>" not in message.html


def test_a_digest_without_suggestions_lists_each_notification_with_its_page() -> None:
    day = in_days(3)
    news = [
        templates.Link("Schakel: match aanvaard <Garage X>", match_link("m-1")),
        templates.Link("Schakel: match ingetrokken", match_link("m-2")),
    ]
    message = templates.digest("An", day, [], news)
    assert message.subject == f"Schakel: uw overzicht van {day:%d-%m-%Y}"
    for item in news:
        assert item.url in message.text and item.label in message.text
    assert "&lt;Garage X&gt;" in message.html and "<Garage X>" not in message.html
    public = Settings().api_public_url.rstrip("/")
    assert f"{public}/inbox" in message.text and f"{public}/account/voorkeuren" in message.text
