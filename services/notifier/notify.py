"""Creating notifications: exactly one per (match, recipient, type), with its pending deliveries.

Runs in the caller's transaction, next to the processed-events claim of the event that caused
it, so a redelivered event or a repeated call adds nothing. Sending happens later (``dispatcher``).
"""

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.routing import Party, Route
from services.notifier.tables import OrganisationEndpointRow
from services.notifier.templates import MatchFacts, Message

# The new rows travel as one array per column: one SQL text, prepared once, for any number of
# rows (a multi-row VALUES was compiled anew for every batch's count, and split past 32,767
# parameters). A notification that exists already is left alone and not returned.
_NEW_NOTIFICATIONS = text(
    "INSERT INTO notifications (match_id, recipient, type, subject, body_text, body_html, payload) "
    "SELECT v.match_id, v.recipient, v.type, v.subject, v.body_text, v.body_html, "
    "CAST(v.payload AS jsonb) FROM unnest(CAST(:match_ids AS text[]), "
    "CAST(:recipients AS text[]), CAST(:types AS text[]), CAST(:subjects AS text[]), "
    "CAST(:texts AS text[]), CAST(:htmls AS text[]), CAST(:payloads AS text[])) "
    "AS v(match_id, recipient, type, subject, body_text, body_html, payload) "
    "ON CONFLICT DO NOTHING RETURNING id, match_id, recipient, type"
)
_NEW_DELIVERIES = text(
    "INSERT INTO deliveries (notification_id, channel, address, status, attempts) "
    "SELECT v.notification_id, v.channel, v.address, 'pending', 0 FROM unnest("
    "CAST(:notification_ids AS bigint[]), CAST(:channels AS text[]), CAST(:addresses AS text[])) "
    "AS v(notification_id, channel, address)"
)


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification to create: what it is about (a match id or a digest key), its route,
    text and webhook payload."""

    match_id: str
    route: Route
    message: Message
    body: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes a notification unique."""
        return self.match_id, self.route.recipient, self.route.type


async def webhook_organisations(session: AsyncSession, organisation_ids: list[str]) -> set[str]:
    """Which of ``organisation_ids`` configured a webhook."""
    rows = await session.scalars(
        select(OrganisationEndpointRow.organisation_id).where(
            OrganisationEndpointRow.organisation_id.in_(organisation_ids)
        )
    )
    return set(rows)


def payload(
    notification_type: str, facts: MatchFacts, contact: Party | None = None
) -> dict[str, Any]:
    """The JSON a webhook receives (and the inbox shows): the match and, when accepted, the
    other party's contact."""
    body: dict[str, Any] = {
        "type": notification_type,
        "match_id": facts.match_id,
        "kind": facts.kind,
        "field": facts.field,
        "need": {"title": facts.need_title, "school": facts.school.name},
        "offer": {"title": facts.offer_title, "provider": facts.provider.name},
    }
    if contact is not None:
        body["contact"] = {
            "organisation": contact.name,
            "name": contact.contact_name,
            "email": contact.contact_email,
        }
    return body


async def notify_all(
    session: AsyncSession, notices: Sequence[Notice]
) -> dict[tuple[str, str, str], int]:
    """Create the notifications that do not exist yet and their deliveries (one statement per
    table, whatever the number); return the new ones' ids by key."""
    unique = {notice.key: notice for notice in reversed(notices)}  # the first of a key wins
    if not unique:
        return {}
    created = await session.execute(_NEW_NOTIFICATIONS, _columns(unique.values()))
    ids = {(row.match_id, row.recipient, row.type): row.id for row in created}
    deliveries = [
        (notification_id, delivery)
        for key, notification_id in ids.items()
        for delivery in unique[key].route.deliveries
    ]
    if deliveries:
        await session.execute(
            _NEW_DELIVERIES,
            {
                "notification_ids": [notification_id for notification_id, _ in deliveries],
                "channels": [delivery.channel for _, delivery in deliveries],
                "addresses": [delivery.address for _, delivery in deliveries],
            },
        )
    return ids


def _columns(notices: Collection[Notice]) -> dict[str, list[str]]:
    """The notices as one array per column of ``_NEW_NOTIFICATIONS``."""
    return {
        "match_ids": [notice.match_id for notice in notices],
        "recipients": [notice.route.recipient for notice in notices],
        "types": [notice.route.type for notice in notices],
        "subjects": [notice.message.subject for notice in notices],
        "texts": [notice.message.text for notice in notices],
        "htmls": [notice.message.html for notice in notices],
        "payloads": [json.dumps(notice.body, ensure_ascii=False) for notice in notices],
    }


async def notify(
    session: AsyncSession, match_id: str, route: Route, message: Message, body: dict[str, Any]
) -> int | None:
    """Create one notification and its deliveries; ``None`` when it existed already."""
    notice = Notice(match_id, route, message, body)
    return (await notify_all(session, [notice])).get(notice.key)
