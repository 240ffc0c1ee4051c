"""Needs and offers in the review state, kept from needs.registered and offers.registered."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.tables import ReviewNeed, ReviewOffer
from shared.contracts import NeedRegistered, OfferRegistered


async def _upsert(
    session: AsyncSession, table: Any, key: str, versions: Sequence[dict[str, Any]]
) -> None:
    """Insert, or replace an older version; what decisions used is left alone.

    One statement for all rows: of several versions of one posting only the newest (the later
    of equal ones) is written, which is what applying them one by one would leave.
    """
    newest: dict[str, dict[str, Any]] = {}
    for values in versions:
        kept = newest.get(values[key])
        if kept is None or kept["version"] <= values["version"]:
            newest[values[key]] = values
    if not newest:
        return
    statement = insert(table)
    await session.execute(  # the rows as parameters: the statement is compiled once, cached
        statement.on_conflict_do_update(
            index_elements=[key],
            set_={name: statement.excluded[name] for name in versions[0] if name != key},
            where=table.version <= statement.excluded.version,
        ),
        list(newest.values()),
    )


def _need_values(need: NeedRegistered) -> dict[str, Any]:
    return {
        "need_id": need.need_id,
        "version": need.version,
        "status": need.status,
        "kind": need.kind,
        "field": need.field,
        "grades": need.grades,
        "title": need.title,
        "institution_number": need.school.institution_number,
        "school_name": need.school.name,
        "postal_code": need.school.postal_code,
        "rtc_region": need.place.rtc_region,
        "contact_name": need.contact.name,
        "contact_email": need.contact.email,
        "quantity": need.quantity,
        "wants_replacement": need.replacement is not None,
        "linked_need_id": need.linked_need_id,
        "registered_at": need.registered_at,
        "period_start": need.period.start,
        "period_end": need.period.end,
        "period_days": need.period.days,
    }


def _offer_values(offer: OfferRegistered) -> dict[str, Any]:
    return {
        "offer_id": offer.offer_id,
        "version": offer.version,
        "status": offer.status,
        "title": offer.title,
        "enterprise_number": offer.provider.enterprise_number,
        "provider_name": offer.provider.name,
        "provider_type": offer.provider.type,
        "contact_name": offer.contact.name,
        "contact_email": offer.contact.email,
        "capacity": offer.capacity,
        "period_start": offer.period.start,
        "period_end": offer.period.end,
        "turnaround_days": offer.turnaround_days,
    }


async def store_needs(session: AsyncSession, needs: Sequence[NeedRegistered]) -> None:
    """Keep the school, region, contact and quantity of registered needs (one statement)."""
    await _upsert(session, ReviewNeed, "need_id", [_need_values(need) for need in needs])


async def store_offers(session: AsyncSession, offers: Sequence[OfferRegistered]) -> None:
    """Keep the provider, contact and capacity of registered offers (one statement)."""
    await _upsert(session, ReviewOffer, "offer_id", [_offer_values(offer) for offer in offers])


async def store_need(session: AsyncSession, need: NeedRegistered) -> None:
    """Keep one registered need."""
    await store_needs(session, [need])


async def store_offer(session: AsyncSession, offer: OfferRegistered) -> None:
    """Keep one registered offer."""
    await store_offers(session, [offer])
