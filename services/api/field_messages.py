"""Dutch messages for the contract's validation errors (keyed by the pydantic error type), shown
next to form fields and in the rows of an offer import.

Covered: the contract's own error types (``posting_id``, ``reserved_need_id``,
``postal_code``, ``institution_number``, ``enterprise_number``, ``unknown_kind``/
``unknown_field``/``unknown_grade``, ``period_order``, ``period_days``, ``replacement``,
``control_characters``) and pydantic's ``missing``,
``string_too_short``/``long``, ``too_long``, number bounds, ``int_parsing``, ``float_parsing``,
``date_from_datetime_parsing``/``date_parsing``, ``literal_error``, ``value_error`` (e-mail).
Anything else keeps intake's English message.
"""

from typing import Any

from pydantic_core import ErrorDetails

_BY_TYPE = {
    "missing": "Vul dit veld in.",
    "posting_id": "1 tot 100 tekens: letters, cijfers, '.', '_', ':' of '-'.",
    "reserved_need_id": "Een id mag niet eindigen op ':vervanging': die krijgt de vervangende "
    "activiteit van een bedrijfsstage.",
    "postal_code": "Geen postcode van Vlaanderen of Brussel.",
    "institution_number": "Het instellingsnummer telt precies 6 cijfers.",
    "enterprise_number": "Geen geldig ondernemingsnummer.",
    "unknown_kind": "Kies een soort uit de lijst.",
    "unknown_field": "Kies een vakgebied uit de lijst.",
    "unknown_grade": "Kies graden uit de lijst.",
    "period_order": "De einddatum ligt voor de begindatum.",
    "period_days": "Zoveel dagen passen niet in de periode.",
    "replacement": "Vervangende activiteiten horen alleen bij een bedrijfsstage voor leraren.",
    "control_characters": "De tekst bevat onzichtbare stuurtekens.",
    "int_parsing": "Vul een geheel getal in.",
    "float_parsing": "Vul een getal in.",
    "date_parsing": "Vul een geldige datum in.",
    "date_from_datetime_parsing": "Vul een geldige datum in.",
    "literal_error": "Kies een waarde uit de lijst.",
    "value_error": "Geen geldig e-mailadres.",
}


def _bounded(error_type: str, context: dict[str, Any]) -> str | None:
    templates = {
        "string_too_short": "Minstens {min_length} tekens.",
        "string_too_long": "Hoogstens {max_length} tekens.",
        "too_long": "Hoogstens {max_length} waarden.",
        "greater_than_equal": "Minstens {ge}.",
        "greater_than": "Meer dan {gt}.",
        "less_than_equal": "Hoogstens {le}.",
    }
    template = templates.get(error_type)
    return template.format(**context) if template else None


def field_message(error: ErrorDetails) -> str:
    """The Dutch message of one validation error (intake's English one when not covered)."""
    error_type = error["type"]
    if error_type.startswith("unknown_"):
        return _BY_TYPE.get(error_type, "Kies een waarde uit de lijst.")
    return _bounded(error_type, dict(error.get("ctx") or {})) or _BY_TYPE.get(
        error_type, error["msg"]
    )


def field_name(error: ErrorDetails) -> str:
    """The dotted contract field of an error (``period.start``; list positions dropped)."""
    return ".".join(str(part) for part in error["loc"] if not isinstance(part, int)) or "(form)"


def rule_message(error_type: str, english: str) -> str:
    """The Dutch message of a ``shared.validation`` rule (``enterprise_number``, ...), or its
    English one when not covered."""
    return _BY_TYPE.get(error_type, english)
