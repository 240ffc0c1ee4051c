"""Where organisations' notifications go besides the inbox, as the admin page lists them: each
webhook's organisation and URL, never its secret. Read only."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.tables import OrganisationEndpointRow


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """An organisation's webhook URL."""

    organisation_id: str
    webhook_url: str


async def webhook_endpoints(session: AsyncSession) -> list[WebhookEndpoint]:
    """Every configured webhook, by organisation."""
    rows = await session.execute(
        select(
            OrganisationEndpointRow.organisation_id, OrganisationEndpointRow.webhook_url
        ).order_by(OrganisationEndpointRow.organisation_id)
    )
    return [WebhookEndpoint(organisation, url) for organisation, url in rows.tuples()]
