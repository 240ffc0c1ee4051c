"""The events intake publishes for a change: registered postings and rejections."""

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from services.intake import rejections
from services.intake.ordering import Moments, Tombstone
from services.intake.store import PostingBook
from shared import topics
from shared.contracts import NeedRegistered, OfferRegistered, PostingRejected

Publication = tuple[str, str, BaseModel]
Registered = NeedRegistered | OfferRegistered


def rejection(event: PostingRejected) -> Publication:
    """``event`` on ``postings.rejected``, keyed by the posting id."""
    return (topics.POSTINGS_REJECTED, event.posting_id or "", event)


def refused(event_id: str, topic: str, posting_id: str, reason: str, now: datetime) -> Publication:
    """The rejection of a valid event the current state refuses, for ``reason``."""
    return rejection(rejections.refused(event_id, topic, posting_id, reason, now))


def refused_withdrawal(tombstone: Tombstone, reason: str, now: datetime) -> Publication:
    """The rejection of a waiting withdrawal."""
    topic = topics.WITHDRAWN[tombstone.side]
    return refused(tombstone.event_id, topic, tombstone.posting_id, reason, now)


def save(
    book: PostingBook, changed: Sequence[Registered], now: datetime, moments: Moments
) -> list[Publication]:
    """Store ``changed`` postings with the record times of the change; publish each."""
    publications: list[Publication] = []
    for posting in changed:
        if isinstance(posting, NeedRegistered):
            book.save_need(posting, now, moments)
        else:
            book.save_offer(posting, now, moments)
        publications.append((topics.REGISTERED[posting.side], posting.posting_id, posting))
    return publications
