"""The matcher applies decisions as the review took them (matches.reviewed): it never decides
capacity itself, drops what is used up, and takes a revoked acceptance's capacity back."""

import uuid
from datetime import UTC, datetime, timedelta

from shared import topics
from shared.contracts import MatchReviewed, OfferRegistered, Period
from shared.contracts.matches import UnitsInUse
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


async def test_a_booked_stretch_withdraws_only_the_needs_it_covers_until_revoked(
    matcher: None,
) -> None:
    period = fresh_period()
    # Lent for as many days as a school asks (no most-days limit of its own).
    whole = Period(start=period.start, end=period.end)
    car = one_place(offer_event(whole, "3600", "auto", "Diagnosewagen"))
    early_days = Period(start=period.start, end=period.start + timedelta(weeks=3))
    late_days = Period(start=period.start + timedelta(weeks=5), end=period.end)
    early, other_early, late = need_event(early_days), need_event(early_days), need_event(late_days)
    revision = 10**15 + uuid.uuid4().int % 10**9
    suggested_other = of_need(other_early.need_id, topics.MATCHES_SUGGESTED)
    withdrawn_other = of_need(other_early.need_id, topics.MATCHES_WITHDRAWN)
    suggested_late = of_need(late.need_id, topics.MATCHES_SUGGESTED)
    withdrawn_late = of_need(late.need_id, topics.MATCHES_WITHDRAWN)

    async with TopicTail(topics.MATCHES_SUGGESTED, topics.MATCHES_WITHDRAWN) as tail:
        await publish(topics.OFFERS_REGISTERED, car)
        await publish(topics.NEEDS_REGISTERED, early, other_early, late)
        suggested_early = of_need(early.need_id, topics.MATCHES_SUGGESTED)
        received = await tail.collect(
            lambda r: all(
                len(of(r)) >= 1 for of in (suggested_early, suggested_other, suggested_late)
            )
        )
        match = suggested_early(received)[0].value
        out = [UnitsInUse(first=early_days.start, last=early_days.end, units=1)]
        accepted = reviewed(match, "accepted", used=0, revision=revision).model_copy(
            update={"offer_in_use": out}
        )
        await produce(
            topics.MATCHES_REVIEWED, [(match["match_id"], accepted.model_dump_json().encode())]
        )
        # The car is out for the early weeks: the other early school loses it, the late keeps it.
        [gone] = withdrawn_other(await tail.collect(lambda r: len(withdrawn_other(r)) >= 1))
        assert gone.value["offer_id"] == car.offer_id

        revoked = reviewed(match, "revoked", used=0, revision=revision + 1).model_copy(
            update={"offer_in_use": []}
        )
        await produce(
            topics.MATCHES_REVIEWED, [(match["match_id"], revoked.model_dump_json().encode())]
        )
        again = await tail.collect(lambda r: len(suggested_other(r)) >= 2)

    assert [r.value["offer_id"] for r in suggested_other(again)] == [car.offer_id] * 2
    assert withdrawn_late(again) == []
