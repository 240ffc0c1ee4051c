"""Fresh organisations for a browser test: a school number and a valid enterprise number no
other test uses, so each page shows only what the test made."""

import random
from datetime import date, timedelta


def institution_number() -> str:
    """A six-digit instellingsnummer."""
    return f"{random.randint(200000, 999999)}"


def enterprise_number() -> str:
    """An enterprise number passing the mod-97 check, as 0xxx.xxx.xxx."""
    base = random.randint(1_000_000, 9_999_999)  # with the leading 0: the first 8 digits
    digits = f"0{base}{97 - base % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def day(offset: int) -> str:
    """The ISO date ``offset`` days from today."""
    return (date.today() + timedelta(days=offset)).isoformat()
