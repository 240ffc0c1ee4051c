"""The notifier's read model, kept from events: needs, offers and suggestions, and the match facts
the texts are made of."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.routing import Party
from services.notifier.tables import NeedView, OfferView, SuggestionView
from services.notifier.templates import MatchFacts
from shared.contracts import MatchSuggested, MatchWithdrawn, NeedRegistered, OfferRegistered


async def _upsert(session: AsyncSession, table: Any, key: str, values: dict[str, Any]) -> None:
    """Insert, or replace an older version; counters the notifier keeps itself are left alone."""
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
        "title": need.title,
        "institution_number": need.school.institution_number,
        "school_name": need.school.name,
        "rtc_region": need.place.rtc_region,
        "contact_name": need.contact.name,
        "contact_email": need.contact.email,
        "quantity": need.quantity,
        "wants_replacement": need.replacement is not None,
        "linked_need_id": need.linked_need_id,
    }
    await _upsert(session, NeedView, "need_id", values)


async def store_offer(session: AsyncSession, offer: OfferRegistered) -> None:
    """Keep the provider, contact and capacity of a registered offer."""
    values = {
        "offer_id": offer.offer_id,
        "version": offer.version,
        "status": offer.status,
        "title": offer.title,
        "enterprise_number": offer.provider.enterprise_number,
        "provider_name": offer.provider.name,
        "contact_name": offer.contact.name,
        "contact_email": offer.contact.email,
        "capacity": offer.capacity,
    }
    await _upsert(session, OfferView, "offer_id", values)


async def store_suggestion(session: AsyncSession, match: MatchSuggested) -> None:
    """Keep a suggestion; a repeated one refreshes score and rank while it is still open."""
    values = {
        "match_id": match.match_id,
        "need_id": match.need_id,
        "offer_id": match.offer_id,
        "kind": match.kind,
        "score": match.score,
        "rank": match.rank,
        "distance_km": match.distance_km,
        "explanation": match.explanation,
        "suggested_at": match.suggested_at,
    }
    statement = insert(SuggestionView).values(**values, status="open", announced=False)
    refreshed = ("score", "rank", "distance_km", "explanation")
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["match_id"],
            set_={name: statement.excluded[name] for name in refreshed},
            where=SuggestionView.status == "open",
        )
    )


async def withdraw_suggestion(session: AsyncSession, withdrawal: MatchWithdrawn) -> None:
    """An open suggestion that no longer holds; decided ones keep their decision."""
    await session.execute(
        update(SuggestionView)
        .where(SuggestionView.match_id == withdrawal.match_id, SuggestionView.status == "open")
        .values(status="withdrawn", reason=withdrawal.reason)
    )


def school_of(need: NeedView) -> Party:
    """The school of a need, with the need's contact."""
    return Party(
        "school", need.institution_number, need.school_name, need.contact_name, need.contact_email
    )


def provider_of(offer: OfferView) -> Party:
    """The provider of an offer, with the offer's contact."""
    return Party(
        "provider",
        offer.enterprise_number,
        offer.provider_name,
        offer.contact_name,
        offer.contact_email,
    )


def facts_of(suggestion: SuggestionView, need: NeedView, offer: OfferView) -> MatchFacts:
    """What the texts say about a match."""
    return MatchFacts(
        match_id=suggestion.match_id,
        kind=suggestion.kind,
        field=need.field,
        score=suggestion.score,
        distance_km=suggestion.distance_km,
        explanation=suggestion.explanation,
        need_title=need.title,
        offer_title=offer.title,
        school=school_of(need),
        provider=provider_of(offer),
    )


async def matches_with_postings(
    session: AsyncSession, match_ids: Sequence[str]
) -> list[tuple[SuggestionView, NeedView, OfferView]]:
    """The suggestions among ``match_ids`` whose need and offer are both known."""
    rows = await session.execute(
        select(SuggestionView, NeedView, OfferView)
        .join(NeedView, NeedView.need_id == SuggestionView.need_id)
        .join(OfferView, OfferView.offer_id == SuggestionView.offer_id)
        .where(SuggestionView.match_id.in_(match_ids))
        .order_by(SuggestionView.suggested_at, SuggestionView.match_id)
    )
    return [(suggestion, need, offer) for suggestion, need, offer in rows.tuples()]
