"""Where a mail leads: the page of the match (or queue) it is about and one's preferences, on
the address people open Schakel at (``API_PUBLIC_URL``)."""

from functools import cache
from urllib.parse import quote

from shared.settings import Settings

PREFERENCES_PATH = "/account/voorkeuren"
QUEUE_PATH = "/beoordelen"
APPLICATIONS_PATH = "/aanmeldingen"
INBOX_PATH = "/inbox"


@cache
def public_url() -> str:
    """``API_PUBLIC_URL`` without a trailing slash (read once per process)."""
    return Settings().api_public_url.rstrip("/")


def page_link(path: str) -> str:
    """The full address of the page at ``path`` (``/...``)."""
    return f"{public_url()}{path}"


def match_link(match_id: str) -> str:
    """The page of one match."""
    return page_link(f"/matches/{quote(match_id, safe='')}")
