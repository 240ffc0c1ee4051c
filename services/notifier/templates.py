"""Dutch mail texts: a plain-text and an HTML body per notification, each leading to the page it
is about and to one's preferences. Pure but for the public address; user text is escaped."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from services.notifier.links import (
    APPLICATIONS_PATH,
    INBOX_PATH,
    PREFERENCES_PATH,
    QUEUE_PATH,
    match_link,
    page_link,
)
from services.notifier.routing import Party
from shared import taxonomy


@dataclass(frozen=True, slots=True)
class MatchFacts:
    """What the texts say about a match, gathered from the notifier's read model."""

    match_id: str
    kind: str
    field: str
    score: float
    distance_km: float
    explanation: str
    need_title: str
    offer_title: str
    school: Party
    provider: Party


@dataclass(frozen=True, slots=True)
class Message:
    """A rendered notification: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def decimal(value: float) -> str:
    """Dutch decimal notation with two digits: ``0.87`` -> ``0,87``."""
    return f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class Link:
    """Where a mail leads: what to click and the full address."""

    label: str
    url: str


def render(
    subject: str, intro: str, rows: list[tuple[str, str]], outro: str, link: Link
) -> Message:
    """A mail: the intro, a table of ``rows``, the outro, where it leads and one's preferences
    (every value escaped in the HTML)."""
    text_rows = "\n".join(f"- {label}: {value}" for label, value in rows)
    html_rows = "".join(
        f"<tr><th align='left'>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in rows
    )
    preferences = page_link(PREFERENCES_PATH)
    text = (
        f"{intro}\n\n{text_rows}\n\n{outro}\n\n{link.label}: {link.url}\n\n-- \nSchakel\n"
        f"Uw voorkeuren voor meldingen: {preferences}\n"
    )
    html = (
        f"<html><body><p>{escape(intro)}</p><table>{html_rows}</table>"
        f"<p>{escape(outro)}</p>"
        f'<p><a href="{escape(link.url)}">{escape(link.label)}</a></p>'
        f'<p>-- <br>Schakel<br><a href="{escape(preferences)}">Uw voorkeuren voor meldingen</a>'
        "</p></body></html>"
    )
    return Message(subject, text, html)


def to_match(facts: MatchFacts) -> Link:
    """The link to the match's page."""
    return Link("Bekijk de match in Schakel", match_link(facts.match_id))


def match_rows(facts: MatchFacts) -> list[tuple[str, str]]:
    """The rows that say what a match pairs, and why."""
    return [
        ("School", facts.school.name),
        ("Behoefte", facts.need_title),
        ("Aanbieder", facts.provider.name),
        ("Aanbod", facts.offer_title),
        ("Soort", taxonomy.kind_label(facts.kind)),
        ("Afstand", f"{round(facts.distance_km)} km"),
        ("Score", decimal(facts.score)),
        ("Waarom", facts.explanation),
    ]


def _field_label(field: str) -> str:
    return taxonomy.field_label(field) if field in taxonomy.field_domains() else field


def _headline(facts: MatchFacts) -> str:
    return (
        f"{facts.school.name}: {facts.provider.name} "
        f"({_field_label(facts.field)}, {round(facts.distance_km)} km)"
        f" — score {decimal(facts.score)}"
    )


def suggestion(facts: MatchFacts) -> Message:
    """A new suggestion for the coordinator of the school's region."""
    return render(
        f"Nieuwe suggestie voor {_headline(facts)}",
        "Schakel stelt een nieuwe match voor in uw regio.",
        match_rows(facts),
        "Aanvaard of weiger de suggestie in Schakel.",
        to_match(facts),
    )


def reminder(facts: MatchFacts, working_days: int) -> Message:
    """A suggestion left undecided for ``working_days`` working days."""
    return render(
        f"Herinnering: suggestie voor {_headline(facts)}",
        f"Deze suggestie wacht al {working_days} werkdagen op een beslissing.",
        match_rows(facts),
        "Aanvaard of weiger de suggestie in Schakel.",
        to_match(facts),
    )


def accepted(facts: MatchFacts, recipient: Party, other: Party) -> Message:
    """An accepted match for one party, with the other party's contact."""
    return render(
        f"Match aanvaard: {facts.school.name} en {facts.provider.name}",
        f"Beste {recipient.contact_name}, de RTC-coördinator heeft deze match aanvaard. "
        f"Neem contact op met {other.name} om de afspraken te maken.",
        [
            *match_rows(facts)[:5],
            ("Contactpersoon", other.contact_name),
            ("E-mail", other.contact_email),
        ],
        "Veel succes met de samenwerking!",
        to_match(facts),
    )


def revoked(facts: MatchFacts, recipient: Party, reason: str) -> Message:
    """An accepted match called off, for one party, with the coordinator's reason."""
    return render(
        f"Match ingetrokken: {facts.school.name} en {facts.provider.name}",
        f"Beste {recipient.contact_name}, de RTC-coördinator heeft deze aanvaarde match "
        "ingetrokken. De afspraken gaan niet door.",
        [*match_rows(facts)[:4], ("Reden", reason)],
        "Schakel zoekt opnieuw een geschikte match.",
        to_match(facts),
    )


def replacement_missing(facts: MatchFacts) -> Message:
    """A teacher internship accepted while its replacement activity has no accepted match."""
    return render(
        f"Let op: bedrijfsstage zonder vervangende activiteit — {facts.school.name}",
        "Een bedrijfsstage werd aanvaard, maar voor de vervangende activiteit van de klas is nog "
        "geen match aanvaard.",
        match_rows(facts)[:5],
        "Zoek een vervangende activiteit voor dezelfde periode.",
        to_match(facts),
    )


def digest(
    name: str, day: date, suggestions: list[MatchFacts], news: Sequence[Link] = ()
) -> Message:
    """The daily digest of one person: new suggestions for a coordinator's region, then the
    other notifications they chose to read once a day, each with its page."""
    rows = [
        (f"{index}. {_headline(facts)}", facts.explanation)
        for index, facts in enumerate(suggestions, start=1)
    ]
    rows += [(item.label, item.url) for item in news]
    if suggestions:
        subject = (
            f"Schakel: {len(suggestions)} nieuwe suggestie{'s' if len(suggestions) > 1 else ''} "
            f"({day:%d-%m-%Y})"
        )
        intro = f"Beste {name}, dit zijn de nieuwe suggesties voor uw regio."
        link = Link("Open de voorstellen in Schakel", page_link(QUEUE_PATH))
    else:
        subject = f"Schakel: uw overzicht van {day:%d-%m-%Y}"
        intro = f"Beste {name}, dit gebeurde in Schakel sinds uw vorige overzicht."
        link = Link("Open uw inbox in Schakel", page_link(INBOX_PATH))
    outro = "Aanvaard of weiger de suggesties in Schakel." if suggestions else "Tot morgen."
    return render(subject, intro, rows, outro, link)


def password_reset(name: str, url: str, valid_minutes: int) -> Message:
    """The one-use link that sets a new password."""
    return render(
        "Schakel: een nieuw wachtwoord instellen",
        f"Beste {name}, iemand vroeg een nieuw wachtwoord voor uw account bij Schakel. "
        "Met de link hieronder kiest u er een; hij werkt één keer en "
        f"{valid_minutes} minuten lang.",
        [],
        "Vroeg u niets? Dan mag u deze mail negeren: uw wachtwoord blijft wat het was.",
        Link("Kies een nieuw wachtwoord", url),
    )


def password_changed(name: str) -> Message:
    """Word that the password changed (and every other sign-in ended)."""
    return render(
        "Schakel: uw wachtwoord is gewijzigd",
        f"Beste {name}, het wachtwoord van uw account bij Schakel is zopas gewijzigd. "
        "Alle andere aanmeldingen en tokens van uw account zijn beëindigd.",
        [],
        "Was u dit niet? Kies dan meteen een nieuw wachtwoord met de link hieronder.",
        Link("Wachtwoord vergeten", page_link("/wachtwoord-vergeten")),
    )


def verify_email(name: str, organisation: str, url: str, valid_minutes: int) -> Message:
    """The link that confirms the address of a new organisation's first user."""
    return render(
        "Schakel: bevestig uw e-mailadres",
        f"Beste {name}, u meldde {organisation} aan bij Schakel. Bevestig met de link hieronder "
        f"dat dit uw e-mailadres is; hij werkt één keer en {valid_minutes} minuten lang.",
        [("Organisatie", organisation)],
        "Daarna beoordeelt het RTC van uw regio de aanmelding; u krijgt bericht.",
        Link("Bevestig mijn e-mailadres", url),
    )


def address_in_use(name: str) -> Message:
    """Someone signed up with an address that already has an account."""
    return render(
        "Schakel: u hebt al een account",
        f"Beste {name}, iemand meldde een organisatie aan bij Schakel met uw e-mailadres, maar "
        "u hebt al een account. Er is niets veranderd.",
        [],
        "Wachtwoord vergeten? Kies een nieuw met de link hieronder.",
        Link("Wachtwoord vergeten", page_link("/wachtwoord-vergeten")),
    )


def organisation_approved(name: str, organisation: str) -> Message:
    """The RTC coordinator approved a new organisation."""
    return render(
        f"Schakel: {organisation} is goedgekeurd",
        f"Beste {name}, het RTC van uw regio keurde {organisation} goed. Wat u in Schakel "
        "plaatst, wordt vanaf nu gepubliceerd en gematcht.",
        [("Organisatie", organisation)],
        "Welkom bij Schakel!",
        Link("Naar Schakel", page_link("/")),
    )


def application_waiting(name: str, organisation: str, postal_code: str, region: str) -> Message:
    """A new organisation of the coordinator's region confirmed its address and waits for a
    decision on ``/aanmeldingen``."""
    return render(
        f"Schakel: {organisation} wacht op uw goedkeuring",
        f"Beste {name}, {organisation} meldde zich aan bij Schakel en bevestigde het "
        f"e-mailadres. De organisatie hoort bij RTC {region} en wacht op uw beslissing.",
        [("Organisatie", organisation), ("Postcode", postal_code)],
        "Tot u ze goedkeurt, wordt niets van wat ze plaatst gepubliceerd of gematcht.",
        Link("Open de aanmeldingen", page_link(APPLICATIONS_PATH)),
    )


def organisation_refused(name: str, organisation: str, reason: str) -> Message:
    """The RTC coordinator refused a new organisation, with the reason."""
    return render(
        f"Schakel: aanmelding van {organisation} geweigerd",
        f"Beste {name}, het RTC van uw regio weigerde de aanmelding van {organisation}.",
        [("Organisatie", organisation), ("Reden", reason)],
        "Vragen? Antwoord het RTC van uw regio.",
        Link("Naar Schakel", page_link("/")),
    )


def invitation(inviter: str, organisation: str, url: str, valid_minutes: int) -> Message:
    """A colleague's invitation to join the organisation in Schakel."""
    days = max(1, valid_minutes // (24 * 60))
    return render(
        f"Schakel: {inviter} nodigt u uit bij {organisation}",
        f"{inviter} nodigt u uit om met {organisation} in Schakel te werken. Kies met de link "
        f"hieronder uw naam en wachtwoord; hij werkt één keer en {days} dag(en) lang.",
        [("Organisatie", organisation)],
        "Kent u deze uitnodiging niet? Dan mag u deze mail negeren.",
        Link("Uitnodiging aanvaarden", url),
    )
