"""From registered postings, as stored (the JSON of the internal events), to what the matcher
looks at. The store selects a posting's ``PostingFields`` from its JSON column on the server
(``store.FIELDS``) and an event gives them with ``fields_of``; profiles are built from fields in
bulk, so loading 150,000 stored postings decodes no JSON and validates no model."""

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.text import posting_text
from shared.calendar import days_of
from shared.contracts import Side

Payload = Mapping[str, Any]  # a NeedRegistered or OfferRegistered as model_dump(mode="json")
# An offer's units in use: (first day, last day, units) runs (None: not known, the counter alone).
InUse = tuple[tuple[date, date, int], ...] | None


def in_use_of(stored: str | None) -> InUse:
    """Units in use as stored (JSON text of [first, last, units] lists); None stays None."""
    if stored is None:
        return None
    runs = json.loads(stored)
    return tuple((date.fromisoformat(a), date.fromisoformat(b), int(n)) for a, b, n in runs)


def in_use_json(in_use: InUse) -> str | None:
    """What ``in_use_of`` reads back."""
    if in_use is None:
        return None
    return json.dumps([[a.isoformat(), b.isoformat(), n] for a, b, n in in_use])


class PostingFields(NamedTuple):
    """What the matcher reads of a registered need or offer."""

    posting_id: str
    kind: str
    field: str
    grades: Sequence[str]
    start: date
    end: date
    days: int | None  # needs: the working days asked (None: all); offers: the most a school books
    amount: int  # needs: the quantity; offers: the capacity
    latitude: float
    longitude: float
    rtc_region: str
    max_distance_km: float | None  # needs
    venue: str | None  # offers
    provider_type: str | None  # offers
    title: str
    description: str
    keywords: Sequence[str]
    in_use: InUse = None  # offers: units accepted matches booked, run by run of days


def fields_of(side: Side, posting: Payload) -> PostingFields:
    """The fields of a registered posting of ``side`` ("need" or "offer")."""
    period, place = posting["period"], posting["place"]
    return PostingFields(
        posting_id=posting[f"{side}_id"],
        kind=posting["kind"],
        field=posting["field"],
        grades=posting["grades"],
        start=date.fromisoformat(period["start"]),
        end=date.fromisoformat(period["end"]),
        days=period.get("days"),
        amount=posting["quantity" if side == "need" else "capacity"],
        latitude=place["latitude"],
        longitude=place["longitude"],
        rtc_region=place["rtc_region"],
        max_distance_km=posting.get("max_distance_km"),
        venue=posting.get("venue"),
        provider_type=posting.get("provider", {}).get("type"),
        title=posting["title"],
        description=posting["description"],
        keywords=posting["keywords"],
    )


def need_profiles(needs: Sequence[tuple[PostingFields, int]]) -> list[NeedProfile]:
    """The needs as matched, of (fields, what accepted matches already gave each)."""
    windows = [
        int(days_of(need.kind, np.datetime64(need.start, "D"), np.datetime64(need.end, "D")))
        for need, _ in needs
    ]
    return [
        NeedProfile(
            need_id=need.posting_id,
            kind=need.kind,
            field=need.field,
            grades=frozenset(need.grades),
            start=need.start,
            end=need.end,
            # Days are the kind's days (``days_of``): asking more than the window holds asks all.
            days=max(1, min(need.days or window, window)),
            quantity=need.amount - served,
            latitude=need.latitude,
            longitude=need.longitude,
            rtc_region=need.rtc_region,
            max_distance_km=need.max_distance_km or 0.0,
            text=posting_text(need.title, need.description, need.keywords),
        )
        for (need, served), window in zip(needs, windows, strict=True)
    ]


def offer_profiles(offers: Sequence[tuple[PostingFields, int]]) -> list[OfferProfile]:
    """The offers as matched, of (fields, the capacity accepted matches took of each)."""
    return [
        OfferProfile(
            offer_id=offer.posting_id,
            kind=offer.kind,
            field=offer.field,
            grades=frozenset(offer.grades),
            start=offer.start,
            end=offer.end,
            capacity_left=offer.amount - used,
            latitude=offer.latitude,
            longitude=offer.longitude,
            rtc_region=offer.rtc_region,
            venue=offer.venue or "",
            text=posting_text(offer.title, offer.description, offer.keywords),
            provider_type=offer.provider_type or "company",
            capacity=offer.amount,
            in_use=offer.in_use,
            days_limit=offer.days or 0,
        )
        for offer, used in offers
    ]
