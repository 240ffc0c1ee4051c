"""The matcher applies decisions as the review took them (matches.reviewed): it never decides
capacity itself, drops what is used up, and takes a revoked acceptance's capacity back."""

import uuid
from datetime import UTC, datetime

from shared import topics
from shared.contracts import MatchReviewed, OfferRegistered
from tests.kafka_io import TopicTail, produce
from tests.matcher.events import fresh_period, need_event, offer_event
from tests.matcher.test_matcher_kafka import of_need, publish


def reviewed(match: dict[str, object], status: str, used: int, revision: int) -> MatchReviewed:
    return MatchReviewed.model_validate(
        {
            "event_id": str(uuid.uuid4()),
            "match_id": match["match_id"],
            "need_id": match["need_id"],
            "offer_id": match["offer_id"],
            "status": status,
            "reason": "" if status == "accepted" else "Het bedrijf annuleert",
            "decided_by": "rtc-limburg@rtc.example",
            "need_quantity_met": used,
            "offer_capacity_used": used,
            "revision": revision,
            "reviewed_at": datetime.now(UTC).isoformat(),
        }
    )


def one_place(offer: OfferRegistered) -> OfferRegistered:
    return offer.model_copy(update={"capacity": 1})


async def test_acceptance_uses_up_the_place_and_revocation_gives_it_back(matcher: None) -> None:
    period = fresh_period()
    workshop = one_place(offer_event(period, "3600", "auto", "EV-werkplaats diagnose"))
    first, second = need_event(period), need_event(period)
    revision = 10**15 + uuid.uuid4().int % 10**9  # newer than any other test's reviews
    suggested_first = of_need(first.need_id, topics.MATCHES_SUGGESTED)
    suggested_second = of_need(second.need_id, topics.MATCHES_SUGGESTED)
    withdrawn_second = of_need(second.need_id, topics.MATCHES_WITHDRAWN)

    async with TopicTail(topics.MATCHES_SUGGESTED, topics.MATCHES_WITHDRAWN) as tail:
        await publish(topics.OFFERS_REGISTERED, workshop)
        await publish(topics.NEEDS_REGISTERED, first, second)
        received = await tail.collect(
            lambda r: len(suggested_first(r)) >= 1 and len(suggested_second(r)) >= 1
        )
        match = suggested_first(received)[0].value
        accepted = reviewed(match, "accepted", used=1, revision=revision)
        await produce(
            topics.MATCHES_REVIEWED, [(match["match_id"], accepted.model_dump_json().encode())]
        )
        # The only place is taken: the other need's suggestion of it is withdrawn.
        [gone] = withdrawn_second(await tail.collect(lambda r: len(withdrawn_second(r)) >= 1))
        assert (gone.value["offer_id"], gone.value["reason"]) == (
            workshop.offer_id,
            "capacity_used",
        )

        revoked = reviewed(match, "revoked", used=0, revision=revision + 1)
        await produce(
            topics.MATCHES_REVIEWED, [(match["match_id"], revoked.model_dump_json().encode())]
        )
        # The place is back: the other need is offered it again.
        again = await tail.collect(lambda r: len(suggested_second(r)) >= 2)

    assert [r.value["offer_id"] for r in suggested_second(again)] == [workshop.offer_id] * 2
