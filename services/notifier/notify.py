"""Creating notifications: exactly one per (match, recipient, type), with its pending deliveries.

Runs in the caller's transaction, next to the inbox claim of the event that caused it, so a
redelivered event or a repeated call adds nothing. Sending happens later (``dispatcher``).
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.routing import Coordinator, Party, Route
from services.notifier.tables import (
    DeliveryRow,
    NotificationRow,
    OrganisationEndpointRow,
)
from services.notifier.templates import MatchFacts, Message
from shared.accounts import OrganisationRow, UserRow


async def coordinators_of(session: AsyncSession, rtc_region: str) -> list[Coordinator]:
    """The coordinators (users of the region's RTC who may sign in) of one RTC region."""
    rows = await session.scalars(
        select(UserRow)
        .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
        .where(
            UserRow.role == "coordinator",
            ~UserRow.disabled,
            OrganisationRow.rtc_region == rtc_region,
        )
        .order_by(UserRow.id)
    )
    return [
        Coordinator(
            row.id,
            rtc_region,
            row.name,
            row.email,
            "daily" if row.digest == "daily" else "immediate",
        )
        for row in rows
    ]


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


async def notify(
    session: AsyncSession, match_id: str, route: Route, message: Message, body: dict[str, Any]
) -> int | None:
    """Create the notification and its deliveries; ``None`` when it existed already."""
    notification_id = await session.scalar(
        insert(NotificationRow)
        .values(
            match_id=match_id,
            recipient=route.recipient,
            type=route.type,
            subject=message.subject,
            body_text=message.text,
            body_html=message.html,
            payload=body,
        )
        .on_conflict_do_nothing()
        .returning(NotificationRow.id)
    )
    if notification_id is not None and route.deliveries:
        await session.execute(
            insert(DeliveryRow).values(
                [
                    {
                        "notification_id": notification_id,
                        "channel": delivery.channel,
                        "address": delivery.address,
                        "status": "pending",
                        "attempts": 0,
                    }
                    for delivery in route.deliveries
                ]
            )
        )
    return notification_id
