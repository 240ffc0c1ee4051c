"""Where events enter the notifier: one subscriber per topic, one transaction per event.

Group ``notifier``; offsets are committed only after the transaction commits (``NACK_ON_ERROR``:
a failing event is redelivered), and the inbox claim makes redeliveries no-ops.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from faststream import AckPolicy
from faststream.kafka import KafkaRouter
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier import decisions, service
from shared import topics
from shared.contracts import (
    MatchDecided,
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
)

GROUP_ID = "notifier"
Event = TypeVar("Event", bound=BaseModel)
UseCase = Callable[[AsyncSession, Event], Awaitable[None]]


def build_router(sessions: async_sessionmaker[AsyncSession]) -> KafkaRouter:
    """The notifier's subscribers, bound to its sessions."""
    router = KafkaRouter()

    def subscribe(topic: str, event_type: type[Event], use_case: UseCase[Event]) -> None:
        async def handle(event: event_type) -> None:  # type: ignore[valid-type]
            async with sessions.begin() as session:
                await use_case(session, event)

        handle.__name__ = f"on_{topic.replace('.', '_')}"
        router.subscriber(
            topic,
            group_id=GROUP_ID,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            title=f"notifier/{topic}",
        )(handle)

    subscribe(topics.NEEDS_REGISTERED, NeedRegistered, service.need_registered)
    subscribe(topics.OFFERS_REGISTERED, OfferRegistered, service.offer_registered)
    subscribe(topics.MATCHES_SUGGESTED, MatchSuggested, service.match_suggested)
    subscribe(topics.MATCHES_WITHDRAWN, MatchWithdrawn, service.match_withdrawn)
    subscribe(topics.MATCHES_DECIDED, MatchDecided, decisions.match_decided)
    return router
