"""Needs and offers in the review state, kept from needs.registered and offers.registered."""

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.tables import ReviewNeed, ReviewOffer
from shared.contracts import NeedRegistered, OfferRegistered


async def _upsert(session: AsyncSession, table: Any, key: str, values: dict[str, Any]) -> None:
    """Insert, or replace an older version; what decisions used is left alone."""
    statement = insert(table).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[key],
            set_={name: statement.excluded[name] for name in values if name != key},
            where=table.version <= statement.excluded.version,
        )
    )


async def store_need(session: AsyncSession, need: NeedRegistered) -> None:
    """Keep the school, region, contact and quantity of a registered need."""
    values = {
        "need_id": need.need_id,
        "version": need.version,
        "status": need.status,
        "kind": need.kind,
        "field": need.field,
        "grades": need.grades,
        "title": need.title,
        "institution_number": need.school.institution_number,
        "school_name": need.school.name,
        "rtc_region": need.place.rtc_region,
        "contact_name": need.contact.name,
        "contact_email": need.contact.email,
        "quantity": need.quantity,
        "wants_replacement": need.replacement is not None,
        "linked_need_id": need.linked_need_id,
        "registered_at": need.registered_at,
    }
    await _upsert(session, ReviewNeed, "need_id", values)


async def store_offer(session: AsyncSession, offer: OfferRegistered) -> None:
    """Keep the provider, contact and capacity of a registered offer."""
    values = {
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
    }
    await _upsert(session, ReviewOffer, "offer_id", values)
