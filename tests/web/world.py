"""Fresh organisations for a browser test: a school number and a valid enterprise number no
other test uses, so each page shows only what the test made."""

import random
from datetime import date, timedelta

from shared.validation import enterprise_number_of


def institution_number() -> str:
    """A six-digit instellingsnummer."""
    return f"{random.randint(200000, 999999)}"


def enterprise_number() -> str:
    """An enterprise number passing the mod-97 check, as 0xxx.xxx.xxx."""
    return enterprise_number_of(random.randint(1_000_000, 9_999_999))  # leading 0: 8 digits


def day(offset: int) -> str:
    """The ISO date ``offset`` days from today."""
    return (date.today() + timedelta(days=offset)).isoformat()
