"""Strings made safe to store: PostgreSQL text and JSONB refuse NUL, UTF-8 has no lone surrogates.

Used where text a producer chose (ids, keys, messages quoting input) lands in a column or an event
without having passed validation, e.g. in a rejection.
"""

import re

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str, limit: int) -> str:
    """``text`` with NUL and lone surrogates replaced by U+FFFD, cut to ``limit`` characters."""
    return _UNSTORABLE.sub(REPLACEMENT, text)[:limit]
