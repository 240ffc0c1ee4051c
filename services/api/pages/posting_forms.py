"""Posting forms -> contract documents, and the contract's errors in Dutch next to each field.

The document goes through the same contract models (and then the same ``submit``) as a JSON body
to ``/api/needs`` or ``/api/offers``; this module only maps form fields to contract fields.
"""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from services.api.field_messages import field_message, field_name
from services.api.posting_resources import NEEDS, OFFERS, PostingResource
from services.api.principal import Principal

# Contract field -> the form field whose message slot shows its error.
_SLOTS = {
    "school.postal_code": "postal_code",
    "provider.postal_code": "postal_code",
    "provider.type": "provider_type",
    "contact.name": "contact_name",
    "contact.email": "contact_email",
    "period.start": "period_start",
    "period.end": "period_end",
    "period.days": "period_days",
    "period": "period_end",
    "replacement.grades": "replacement_grades",
    "replacement.pupils": "replacement_pupils",
    "replacement": "replacement",
}
GENERAL = "algemeen"


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    """Put a non-empty value at ``path`` (``period.start``); empty fields are left out."""
    if value in ("", [], None):
        return
    *parents, last = path.split(".")
    for part in parents:
        document = document.setdefault(part, {})
    document[last] = value


def _common(form: FormData, side: PostingResource) -> dict[str, Any]:
    id_field = side.id_field
    document: dict[str, Any] = {}
    _set(document, id_field, _text(form, id_field))
    for path in ("contact.name", "contact.email", "period.start", "period.end", "period.days"):
        _set(document, path, _text(form, path.replace(".", "_")))
    for name in ("kind", "title", "description", "field"):
        _set(document, name, _text(form, name))
    keywords = [k.strip() for k in _text(form, "keywords").split(",") if k.strip()]
    _set(document, "keywords", keywords)
    _set(document, "grades", [g for g in form.getlist("grades") if isinstance(g, str)])
    return document


def need_document(form: FormData, principal: Principal) -> dict[str, Any]:
    """A ``needs.submitted`` body from the need form of ``principal``'s school."""
    document = _common(form, NEEDS)
    document["school"] = {
        "institution_number": principal.organisation_number or "",
        "name": principal.organisation_name,
    }
    _set(document, "school.postal_code", _text(form, "postal_code"))
    _set(document, "quantity", _text(form, "quantity"))
    _set(document, "max_distance_km", _text(form, "max_distance_km"))
    if _text(form, "replacement") == "ja":
        grades = [g for g in form.getlist("replacement_grades") if isinstance(g, str)]
        document["replacement"] = {"grades": grades}
        _set(document, "replacement.pupils", _text(form, "replacement_pupils"))
    return document


def offer_document(form: FormData, principal: Principal) -> dict[str, Any]:
    """An ``offers.submitted`` body from the offer form of ``principal``'s organisation."""
    document = _common(form, OFFERS)
    document["provider"] = {
        "enterprise_number": principal.organisation_number or "",
        "name": principal.organisation_name,
    }
    _set(document, "provider.type", _text(form, "provider_type"))
    _set(document, "provider.postal_code", _text(form, "postal_code"))
    for name in ("capacity", "venue", "cost_eur", "turnaround_days"):
        _set(document, name, _text(form, name).replace(",", "."))
    return document


def form_values(side: PostingResource, posting: dict[str, Any]) -> dict[str, Any]:
    """The form's fields filled in from a stored posting (``needs.registered``/
    ``offers.registered`` as a document), for its edit form."""
    period, contact = posting.get("period", {}), posting.get("contact", {})
    owner = posting.get("school" if side is NEEDS else "provider", {})
    values: dict[str, Any] = {
        side.id_field: posting.get(side.id_field, ""),
        "kind": posting.get("kind", ""),
        "field": posting.get("field", ""),
        "title": posting.get("title", ""),
        "description": posting.get("description", ""),
        "keywords": ", ".join(posting.get("keywords", [])),
        "grades": list(posting.get("grades", [])),
        "period_start": period.get("start") or "",
        "period_end": period.get("end") or "",
        "period_days": period.get("days") or "",
        "postal_code": owner.get("postal_code", ""),
        "contact_name": contact.get("name", ""),
        "contact_email": contact.get("email", ""),
        "provider_type": owner.get("type", ""),
    }
    for name in ("quantity", "max_distance_km", "capacity", "venue", "cost_eur"):
        if (value := posting.get(name)) is not None:
            values[name] = f"{value:g}" if isinstance(value, float) else str(value)
    if replacement := posting.get("replacement"):
        values["replacement"] = "ja"
        values["replacement_grades"] = list(replacement.get("grades", []))
        values["replacement_pupils"] = str(replacement.get("pupils") or "")
    return values


def new_posting_id(principal: Principal) -> str:
    """An id for a posting whose form left it empty: organisation, year, a random part."""
    number = (principal.organisation_number or "org").replace(".", "")
    return f"{number}-{date.today():%Y}-{uuid.uuid4().hex[:8]}"


def field_errors(side: PostingResource, document: dict[str, Any]) -> dict[str, str]:
    """Form field -> its Dutch message, for every contract error of ``document``."""
    try:
        side.submitted.model_validate({**document, "event_id": uuid.uuid4()})
    except ValidationError as error:
        messages: dict[str, str] = {}
        for detail in error.errors():
            name = field_name(detail)
            slot = _SLOTS.get(name, name) if name != "(form)" else GENERAL
            if detail["type"] == "replacement":
                slot = "replacement"
            messages.setdefault(slot, field_message(detail))
        return messages
    return {}


def touched(errors: dict[str, str], form: FormData) -> dict[str, str]:
    """While typing, only the fields already filled in get a message."""
    return {slot: message for slot, message in errors.items() if form.get(slot) not in (None, "")}


Builder = Callable[[FormData, Principal], dict[str, Any]]
