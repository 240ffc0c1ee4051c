"""Dutch words for what the services say in English: decision refusals, reason codes, statuses
and why an offer file cannot be read; dates as the pages write them. Field messages are
``services.api.field_messages``."""

from datetime import date, datetime

from shared import taxonomy
from shared.calendar import LOCAL_TIME

REASON_CODES = {
    "too_far": "Te ver",
    "wrong_field": "Verkeerd vakgebied",
    "dates": "Data passen niet",
    "capacity": "Onvoldoende capaciteit",
    "quality": "Kwaliteit",
    "other": "Andere reden",
}
STATUSES = {
    "open": "open",
    "submitted": "verstuurd",
    "rejected": "afgewezen",
    "accepted": "aanvaard",
    "revoked": "ingetrokken",
    "withdrawn": "teruggetrokken",
    "expired": "verlopen",
}
# The journey after acceptance (``services.review.journey``): where a match stands.
STEPS = {
    "accepted": "aanvaard",
    "dates_agreed": "data afgesproken",
    "delivered": "geleverd",
    "returned": "teruggegeven",
    "checked": "nagekeken",
    "took_place": "heeft plaatsgevonden",
    "cancelled": "geannuleerd",
}
REFUSALS = {
    "unknown_match": "Dit voorstel bestaat niet (meer) in uw regio.",
    "not_a_reviewer": "Alleen een coördinator van de regio of de beheerder kan beslissen.",
    "invalid_decision": "Kies aanvaarden of afwijzen.",
    "withdrawn": "Dit voorstel is intussen ingetrokken en kan niet meer beslist worden.",
    "already_decided": "Over dit voorstel is al beslist.",
    "reason_code_required": "Kies een reden voor de afwijzing.",
    "offer_fully_booked": "Het aanbod is volzet in de gevraagde periode: op minstens één dag "
    "ervan zijn alle plaatsen of toestellen al geboekt (of nog niet terug).",
    "no_common_period": "De periodes van de behoefte en het aanbod overlappen niet.",
    "need_fulfilled": "De behoefte is al vervuld.",
    "posting_closed": "De behoefte of het aanbod is niet meer open.",
    "not_accepted": "Alleen een aanvaarde match kan ingetrokken worden.",
    "cancelled": "De school of de aanbieder heeft deze match al geannuleerd.",
    "reason_required": "Geef een reden voor de intrekking.",
    "invalid_step": "Kies een stap uit de lijst.",
    "step_not_allowed": "Deze stap kan nu niet: de match staat al verder of is geannuleerd.",
    "not_your_step": "Deze stap duidt de andere partij aan.",
    "cancel_reason_required": "Geef een reden voor de annulering.",
    "not_rateable": "Een beoordeling kan pas als de match heeft plaatsgevonden (of het toestel "
    "terug en nagekeken is).",
    "invalid_rating": "Geef een score van 1 tot 5 en hoogstens één korte zin.",
}
_CSV_PROBLEMS = {
    "encoding": "Het bestand kan niet gelezen worden: het is geen tekst (UTF-8 of Windows-1252). "
    "Bewaar het als CSV of als Excel-werkmap (.xlsx).",
    "sheet": "Het bestand kan niet gelezen worden: het is geen geldige Excel-werkmap (.xlsx).",
    "header": "Het bestand kan niet gelezen worden: de kopregel klopt niet ({detail}). Gebruik "
    "de kolommen van het sjabloon.",
    "cell_too_long": "Het bestand kan niet gelezen worden: een cel in rij {detail} is te lang.",
    "too_many_rows": "Het bestand is te groot: hoogstens {detail} rijen per keer; splits het.",
}


def csv_problem(problem: str, detail: str) -> str:
    """Why an offer CSV cannot be read, in Dutch (``offer_csv.CsvFileError``)."""
    return _CSV_PROBLEMS[problem].format(detail=detail)


# The score's components (``services.matcher``) as the queue's bars name them.
COMPONENTS = {
    "distance": "nabijheid",
    "field": "vakgebied",
    "grade": "graad",
    "period": "periode",
    "text": "inhoud",
    "capacity": "capaciteit",
    "region": "regio",
}


def percent(value: float | None) -> str:
    """A share as a whole percentage: 0.9 -> "90 %"."""
    return "" if value is None else f"{round(value * 100)} %"


def kind_label(code: str | None) -> str:
    """A kind of need or offer in Dutch (an unknown code as it is)."""
    return taxonomy.kind_label(code) if code in taxonomy.kinds() else (code or "")


def component_nl(name: str) -> str:
    """A score component's name in Dutch (an unknown one as it is)."""
    return COMPONENTS.get(name, name)


def status_nl(code: str) -> str:
    """A match's or posting's status in Dutch (an unknown one as it is)."""
    return STATUSES.get(code, code)


def reason_nl(code: str | None) -> str:
    """A rejection's reason code in Dutch (an unknown one as it is)."""
    return REASON_CODES.get(code or "", code or "")


def step_nl(code: str | None) -> str | None:
    """Where a match stands after acceptance, in Dutch (no step yet: accepted)."""
    return STEPS.get(code or "accepted", code)


def when(value: datetime | date | None) -> str:
    """A moment (local time) or a day as the pages write it: 07/12/2026 14:05, 07/12/2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TIME).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def day(value: str | date | None) -> str:
    """A day (or an ISO day's text) as the pages write it: 07/12/2026."""
    if not value:
        return ""
    return when(date.fromisoformat(value) if isinstance(value, str) else value)
