"""Sending: due deliveries go out over SMTP or webhook; failures are retried with backoff.

Runs as a background job of the service. Rows are claimed with ``FOR UPDATE SKIP LOCKED`` so
several instances share the work; each delivery succeeds or fails on its own, so a dead SMTP
server or webhook endpoint delays only its own deliveries and never the Kafka consumer.
Delivery is at least once: a crash between sending and committing sends again, with the same
Message-ID / X-Schakel-Delivery id so the receiver can recognise it.
"""

import asyncio
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier import periodic
from services.notifier.notifications import ACCOUNT_TYPE
from services.notifier.schedule import retry_delay
from services.notifier.senders import build_email, post_webhook, send_email
from services.notifier.settings import NotifierSettings
from services.notifier.tables import DeliveryRow, NotificationRow, OrganisationEndpointRow
from services.notifier.templates import Message
from services.notifier.webhook_client import webhook_client

log = logging.getLogger(__name__)


def forget_text(notification: NotificationRow) -> None:
    """Once an account mail is sent its text (a one-use link) is no longer kept."""
    notification.body_text = notification.body_html = "(verzonden)"


class Dispatcher:
    """Sends due deliveries; looks for due digests and reminders every ``periodic_seconds``."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], settings: NotifierSettings
    ) -> None:
        self._sessions = sessions
        self._settings = settings

    async def run(self) -> None:
        """The background loop; it outlives SMTP, webhook and database outages."""
        s = self._settings
        async with webhook_client(s.webhook_timeout_seconds, s.webhook_private_allowed) as client:
            last_periodic: datetime | None = None
            while True:
                now = datetime.now(UTC)
                sent = 0
                try:
                    if (
                        last_periodic is None
                        or (now - last_periodic).total_seconds() >= self._settings.periodic_seconds
                    ):
                        await self.run_periodic(now)
                        last_periodic = now
                    sent = await self.dispatch_once(client, now)
                except Exception:
                    log.exception("dispatcher round failed; retrying")
                if sent < self._settings.dispatch_batch_size:
                    await asyncio.sleep(self._settings.dispatch_poll_seconds)

    async def run_periodic(self, now: datetime) -> None:
        """Digests and reminders due at ``now``."""
        async with self._sessions.begin() as session:
            await periodic.send_digests(session, now, self._settings.digest_hour)
        share = due = periodic.REMINDERS_AT_ONCE
        while due == share:  # a share of a backlog at a time, each committed on its own
            async with self._sessions.begin() as session:
                due = await periodic.send_reminders(
                    session, now, self._settings.reminder_working_days, share
                )

    async def dispatch_once(self, client: httpx.AsyncClient, now: datetime) -> int:
        """Try every due delivery of one batch; return how many were tried."""
        async with self._sessions.begin() as session:
            due = (
                (
                    await session.execute(
                        select(DeliveryRow, NotificationRow)
                        .join(NotificationRow, NotificationRow.id == DeliveryRow.notification_id)
                        .where(
                            DeliveryRow.status == "pending",
                            DeliveryRow.channel.in_(("email", "webhook")),
                            DeliveryRow.next_attempt_at <= now,
                        )
                        .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)
                        .limit(self._settings.dispatch_batch_size)
                        .with_for_update(of=DeliveryRow, skip_locked=True)
                    )
                )
                .tuples()
                .all()
            )
            endpoints = await self._endpoints(session, due)
            results = await asyncio.gather(
                *(self._send(client, endpoints, d, n) for d, n in due), return_exceptions=True
            )
            for (delivery, notification), result in zip(due, results, strict=True):
                self._record(delivery, result, now)
                if result is None and notification.type == ACCOUNT_TYPE:
                    forget_text(notification)
            return len(due)

    @staticmethod
    async def _endpoints(
        session: AsyncSession, due: Sequence[tuple[DeliveryRow, NotificationRow]]
    ) -> dict[str, OrganisationEndpointRow]:
        organisations = [d.address for d, _ in due if d.channel == "webhook"]
        rows = await session.scalars(
            select(OrganisationEndpointRow).where(
                OrganisationEndpointRow.organisation_id.in_(organisations)
            )
        )
        return {row.organisation_id: row for row in rows}

    async def _send(
        self,
        client: httpx.AsyncClient,
        endpoints: dict[str, OrganisationEndpointRow],
        delivery: DeliveryRow,
        notification: NotificationRow,
    ) -> None:
        if delivery.channel == "email":
            message = Message(notification.subject, notification.body_text, notification.body_html)
            mail = build_email(
                self._settings.smtp_from,
                delivery.address,
                message,
                delivery.id,
                None if notification.type == ACCOUNT_TYPE else notification.match_id,
            )
            await send_email(self._settings, mail)
            return
        endpoint = endpoints.get(delivery.address)
        if endpoint is None:
            raise LookupError(f"organisation {delivery.address} has no webhook configured")
        body = json.dumps(notification.payload, ensure_ascii=False).encode()
        await post_webhook(client, endpoint.webhook_url, endpoint.webhook_secret, body, delivery.id)

    def _record(self, delivery: DeliveryRow, result: BaseException | None, now: datetime) -> None:
        delivery.attempts += 1
        if result is None:
            delivery.status, delivery.sent_at, delivery.last_error = "sent", now, None
            return
        delivery.last_error = f"{type(result).__name__}: {result}"[:2000]
        log.warning("delivery %s (%s) failed: %s", delivery.id, delivery.channel, result)
        if delivery.attempts >= self._settings.max_attempts:
            delivery.status = "failed"
            return
        s = self._settings
        delivery.next_attempt_at = now + retry_delay(
            delivery.attempts, s.retry_base_seconds, s.retry_max_seconds
        )
