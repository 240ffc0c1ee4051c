"""Generated needs and offers (``tests.bench.generate``) as the events external systems submit,
in the shape of ``tests.builders``, and producing them as those systems do: the pipeline's and
the front door's benchmarks send their postings through here."""

from typing import Any

from services.matcher.domain import NeedProfile, OfferProfile
from shared import topics
from shared.taxonomy import places
from tests.bench.generate import Generator
from tests.builders import VALID_ENTERPRISE_NUMBERS, need_event, offer_event
from tests.kafka_io import as_json, produce

Record = tuple[str, str, bytes]  # topic, key, value
POSTAL_CODES = {(p.latitude, p.longitude): p.postal_code for p in places().values()}


def _title(profile: NeedProfile | OfferProfile) -> str:
    return profile.text.split(". ")[0]


def offer(profile: OfferProfile, enterprise_number: str, **provider: str) -> dict[str, Any]:
    """A ``offers.submitted`` event of a generated offer by the provider ``enterprise_number``
    (``provider``: other fields of the provider, its name say)."""
    base = offer_event()
    return offer_event(
        offer_id=profile.offer_id, kind=profile.kind, field=profile.field,
        grades=sorted(profile.grades), title=_title(profile), description=profile.text,
        keywords=[], capacity=profile.capacity_left, venue=profile.venue,
        period={"start": profile.start.isoformat(), "end": profile.end.isoformat()},
        provider={
            **base["provider"], **provider, "enterprise_number": enterprise_number,
            "postal_code": POSTAL_CODES[(profile.latitude, profile.longitude)],
        },
    )  # fmt: skip


def provided_offer(profile: OfferProfile, number: int) -> dict[str, Any]:
    """A ``offers.submitted`` event of a generated offer, of one of the valid providers."""
    return offer(profile, VALID_ENTERPRISE_NUMBERS[number % len(VALID_ENTERPRISE_NUMBERS)])


def offers(count: int, prefix: str, seed: int = 1) -> list[Record]:
    """``count`` new offers as ``offers.submitted`` records."""
    profiles = Generator(seed).offers(count, prefix)
    return [
        (topics.OFFERS_SUBMITTED, p.offer_id, as_json(provided_offer(p, i)))
        for i, p in enumerate(profiles)
    ]


def needs(count: int, prefix: str, seed: int = 2) -> list[Record]:
    """``count`` new needs as ``needs.submitted`` records."""
    return [
        (topics.NEEDS_SUBMITTED, p.need_id, as_json(need(p)))
        for p in Generator(seed).needs(count, prefix)
    ]


def need(profile: NeedProfile, **school: str) -> dict[str, Any]:
    """A ``needs.submitted`` event of a generated need (``school``: the school's number and name,
    the example school's if not given; its postal code is the profile's place)."""
    return need_event(
        need_id=profile.need_id, kind=profile.kind, field=profile.field,
        grades=sorted(profile.grades), title=_title(profile), description=profile.text,
        keywords=[], quantity=profile.quantity, max_distance_km=profile.max_distance_km,
        period={
            "start": profile.start.isoformat(), "end": profile.end.isoformat(),
            "days": profile.days,
        },
        school={**need_event()["school"], **school, "postal_code": POSTAL_CODES[
            (profile.latitude, profile.longitude)
        ]},
    )  # fmt: skip


async def send(records: list[Record]) -> None:
    """Produce records to their topics as external producers would."""
    for topic in {topic for topic, _, _ in records}:
        await produce(topic, [(key, value) for t, key, value in records if t == topic])
