"""Creating notifications: exactly one per (match, recipient, type), with its pending deliveries.

Runs in the caller's transaction, next to the processed-events claim of the event that caused
it, so a redelivered event or a repeated call adds nothing. Sending happens later (``dispatcher``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.routing import Party, Route
from services.notifier.tables import (
    DeliveryRow,
    NotificationRow,
    OrganisationEndpointRow,
)
from services.notifier.templates import MatchFacts, Message
from shared.db import in_statements

# Parameters per row of the multi-row INSERTs below.
NOTIFICATION_COLUMNS = 7
DELIVERY_COLUMNS = 5


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
    table, or a few for a burst too big for one); return the new ones' ids by key."""
    unique = {notice.key: notice for notice in reversed(notices)}  # the first of a key wins
    ids: dict[tuple[str, str, str], int] = {}
    for part in in_statements(list(unique.values()), NOTIFICATION_COLUMNS):
        ids |= await _insert_notifications(session, part)
    deliveries = [
        {
            "notification_id": notification_id,
            "channel": delivery.channel,
            "address": delivery.address,
            "status": "pending",
            "attempts": 0,
        }
        for key, notification_id in ids.items()
        for delivery in unique[key].route.deliveries
    ]
    for rows in in_statements(deliveries, DELIVERY_COLUMNS):
        await session.execute(insert(DeliveryRow).values(list(rows)))
    return ids


async def _insert_notifications(
    session: AsyncSession, notices: Sequence[Notice]
) -> dict[tuple[str, str, str], int]:
    created = await session.execute(
        insert(NotificationRow)
        .values(
            [
                {
                    "match_id": notice.match_id,
                    "recipient": notice.route.recipient,
                    "type": notice.route.type,
                    "subject": notice.message.subject,
                    "body_text": notice.message.text,
                    "body_html": notice.message.html,
                    "payload": notice.body,
                }
                for notice in notices
            ]
        )
        .on_conflict_do_nothing()
        .returning(
            NotificationRow.id,
            NotificationRow.match_id,
            NotificationRow.recipient,
            NotificationRow.type,
        )
    )
    return {(row.match_id, row.recipient, row.type): row.id for row in created}


async def notify(
    session: AsyncSession, match_id: str, route: Route, message: Message, body: dict[str, Any]
) -> int | None:
    """Create one notification and its deliveries; ``None`` when it existed already."""
    notice = Notice(match_id, route, message, body)
    return (await notify_all(session, [notice])).get(notice.key)
