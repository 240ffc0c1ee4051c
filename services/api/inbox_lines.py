"""What the inbox shows of a page of notifications: one line per notification, or one line per
need for its suggestions (and reminders), each naming the match it is about in Dutch (field
labels, not codes), linking to the match's page and saying where the match stands now.

Pure: the notifications come from ``services.notifier.notifications``, the standings from
``services.review.match_states`` (only the matches the reader may see)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from services.notifier.notifications import Notification
from services.review.match_states import MatchStanding
from shared import taxonomy

# Where a match stands now, as the inbox says it.
STANDING_LABELS = {
    "open": "wacht op beslissing",
    "accepted": "aanvaard",
    "rejected": "afgewezen",
    "revoked": "ingetrokken",
    "withdrawn": "vervallen (behoefte of aanbod teruggetrokken)",
}
_GROUPED = ("suggestion", "reminder")
_HEADINGS = {
    "suggestion": "Nieuwe suggestie",
    "reminder": "Herinnering: suggestie wacht op een beslissing",
    "accepted": "Match aanvaard",
    "revoked": "Match ingetrokken",
    "replacement_missing": "Let op: bedrijfsstage zonder vervangende activiteit",
    "cancelled": "Match geannuleerd",
    "on_its_way": "Het toestel komt naar u",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """A match a line is about: what it pairs, its page (none: one may not see it) and its
    standing now."""

    match_id: str
    label: str
    href: str | None
    standing: str
    status: str


@dataclass(slots=True)
class InboxLine:
    """One line of the inbox: the newest of its notifications leads (time, type)."""

    newest: Notification
    heading: str
    mentions: list[Mention]
    ids: list[int]
    unread: bool
    grouped: bool = False
    contact: dict[str, Any] | None = None
    body_text: str = ""
    notification_types: set[str] = field(default_factory=set)

    @property
    def created_at(self) -> datetime:
        """When the newest of its notifications came."""
        return self.newest.created_at


def _field(code: str) -> str:
    return taxonomy.field_label(code) if code in taxonomy.field_domains() else code


def _pair(payload: Mapping[str, Any]) -> str:
    """``school: need ↔ provider: offer (field)`` from a notification's payload."""
    need, offer = payload.get("need") or {}, payload.get("offer") or {}
    if not need or not offer:
        return ""
    text = f"{need.get('school', '')}: {need.get('title', '')} ↔ "
    text += f"{offer.get('provider', '')}: {offer.get('title', '')}"
    code = payload.get("field")
    return f"{text} ({_field(code)})" if isinstance(code, str) and code else text


def _offer_part(payload: Mapping[str, Any]) -> str:
    """``provider: offer`` from a notification's payload (a need's line names the need once)."""
    offer = payload.get("offer") or {}
    return f"{offer.get('provider', '')}: {offer.get('title', '')}" if offer else ""


def _mention(row: Notification, standings: Mapping[str, MatchStanding]) -> Mention | None:
    found = standings.get(row.match_id)
    if found is None:
        return None
    href = f"/matches/{quote(row.match_id, safe='')}"
    label = STANDING_LABELS.get(found.status, found.status)
    return Mention(row.match_id, _offer_part(row.payload) or row.subject, href, label, found.status)


def _single(row: Notification, standings: Mapping[str, MatchStanding]) -> InboxLine:
    mention = _mention(row, standings)
    pair = _pair(row.payload)
    heading = f"{_HEADINGS[row.type]}: {pair}" if pair and row.type in _HEADINGS else row.subject
    return InboxLine(
        newest=row,
        heading=heading,
        mentions=[mention] if mention else [],
        ids=[row.id],
        unread=row.read_at is None,
        contact=row.payload.get("contact"),
        body_text=row.body_text,
        notification_types={row.type},
    )


def _group(rows: list[Notification], standing: MatchStanding, mentions: list[Mention]) -> InboxLine:
    count = len(rows)
    waiting = sum(1 for m in mentions if m.status == "open")
    code = rows[0].payload.get("field")
    field_label = f"{_field(code)}, " if isinstance(code, str) and code else ""
    heading = (
        f"{count} suggesties voor “{standing.need_title}” ({field_label}{standing.school_name}): "
        f"{waiting} wacht{'en' if waiting != 1 else ''} op een beslissing"
    )
    return InboxLine(
        newest=rows[0],
        heading=heading,
        mentions=mentions,
        ids=[row.id for row in rows],
        unread=any(row.read_at is None for row in rows),
        grouped=True,
        notification_types={row.type for row in rows},
    )


def inbox_lines(
    rows: Sequence[Notification], standings: Mapping[str, MatchStanding]
) -> list[InboxLine]:
    """``rows`` (newest first) as lines: the suggestions and reminders of one need on this
    page become one line, where the newest of them stands."""
    by_need: dict[str, list[Notification]] = {}
    for row in rows:
        found = standings.get(row.match_id)
        if row.type in _GROUPED and found is not None:
            by_need.setdefault(found.need_id, []).append(row)
    lines: list[InboxLine] = []
    placed: set[str] = set()
    for row in rows:
        found = standings.get(row.match_id)
        need_rows = by_need.get(found.need_id, []) if found and row.type in _GROUPED else []
        if len(need_rows) < 2:
            lines.append(_single(row, standings))
        elif found is not None and found.need_id not in placed:
            placed.add(found.need_id)
            mentions = _unique_mentions(need_rows, standings)
            lines.append(_group(need_rows, found, mentions))
    return lines


def _unique_mentions(
    rows: list[Notification], standings: Mapping[str, MatchStanding]
) -> list[Mention]:
    """One mention per match (a suggestion and its reminder name the same match)."""
    seen: dict[str, Mention] = {}
    for row in rows:
        mention = _mention(row, standings)
        if mention is not None and mention.match_id not in seen:
            seen[mention.match_id] = mention
    return list(seen.values())
