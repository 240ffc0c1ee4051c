"""Pure validation and normalisation rules behind the event contract (SPEC sections 3 and 4).

Each check returns the normalised value or raises ``PydanticCustomError`` with a precise Dutch-free
English message an integrator can act on.
"""

import re
import unicodedata

from pydantic_core import PydanticCustomError

from shared import taxonomy

_INSTITUTION_NUMBER = re.compile(r"\d{6}")
_ENTERPRISE_NUMBER = re.compile(r"[01]\d{9}")
_POSTING_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def invalid(error_type: str, message: str) -> PydanticCustomError:
    """A validation error whose message reaches the producer unchanged."""
    return PydanticCustomError(error_type, message)


def strip_accents(text: str) -> str:
    """``'Café  Élan'`` -> ``'Cafe  Elan'``."""
    if text.isascii():  # nothing to decompose
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_code(value: str) -> str:
    """A taxonomy code as producers may spell it: case, accents and spaces folded."""
    return "-".join(strip_accents(value).lower().split())


def posting_id(value: str) -> str:
    """Posting ids are 1-100 characters of letters, digits and ``. _ : -``."""
    if not _POSTING_ID.fullmatch(value):
        raise invalid(
            "posting_id", "must be 1-100 characters: letters, digits, '.', '_', ':' or '-'"
        )
    return value


def postal_code(value: str) -> str:
    """A Belgian postal code of Flanders or Brussels."""
    code = value.strip()
    if code not in taxonomy.places():
        raise invalid(
            "postal_code", f"postal code {code!r} is not a postal code of Flanders or Brussels"
        )
    return code


def institution_number(value: str) -> str:
    """A school's institution number (instellingsnummer): six digits."""
    number = value.strip()
    if not _INSTITUTION_NUMBER.fullmatch(number):
        raise invalid("institution_number", "institution number must be exactly 6 digits")
    return number


def enterprise_check_digits(first_eight: int) -> int:
    """The mod-97 check digits of an enterprise number (KBO) whose first eight digits are
    ``first_eight``: 97 minus their remainder by 97 (the one rule, for checking and making)."""
    return 97 - first_eight % 97


def enterprise_number_of(first_eight: int) -> str:
    """The valid enterprise number starting with ``first_eight``, formatted ``0403.170.701``."""
    digits = f"{first_eight:08d}{enterprise_check_digits(first_eight):02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def enterprise_number(value: str) -> str:
    """A Belgian enterprise number (KBO), checked mod 97 and formatted ``0403.170.701``."""
    digits = re.sub(r"[\s.]", "", value.removeprefix("BE").removeprefix("be"))
    if not _ENTERPRISE_NUMBER.fullmatch(digits):
        raise invalid(
            "enterprise_number",
            "enterprise number must be 10 digits starting with 0 or 1, e.g. 0403.170.701",
        )
    if enterprise_check_digits(int(digits[:8])) != int(digits[8:]):
        raise invalid("enterprise_number", f"enterprise number {value!r} fails the mod-97 check")
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def known_code(value: str, known: tuple[str, ...], what: str) -> str:
    """A normalised code that must be one of ``known``."""
    code = normalise_code(value)
    if code not in known:
        raise invalid(
            f"unknown_{what}", f"unknown {what} {value!r}; expected one of {', '.join(known)}"
        )
    return code


def grade_list(values: list[str]) -> list[str]:
    """Grade codes deduplicated and in school order."""
    order = taxonomy.grades()
    codes = {value.strip().upper() for value in values}
    unknown = sorted(codes.difference(order))
    if unknown:
        raise invalid(
            "unknown_grade",
            f"unknown grade {', '.join(unknown)}; expected one of {', '.join(order)}",
        )
    return [grade for grade in order if grade in codes]


def keyword_list(values: list[str]) -> list[str]:
    """Keywords lower-cased, accents and whitespace folded, empty ones and repeats dropped."""
    keywords = (" ".join(strip_accents(value).lower().split()) for value in values)
    return list(dict.fromkeys(keyword for keyword in keywords if keyword))


def plain_text(value: str) -> str:
    """Free text as written, whitespace trimmed; only control characters (NUL etc.) are refused.

    Text is data: every query is parameterised and every page and mail escapes what it shows, so
    quotes, ``;``, ``--``, ``<``, ``&`` and SQL words are ordinary text and are stored as given.
    """
    if _CONTROL.search(value):
        raise invalid("control_characters", "text contains control characters")
    return value.strip()
