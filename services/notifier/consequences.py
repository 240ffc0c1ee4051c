"""What a decision entails, applied when matches.decided arrives (whoever published it):
capacity consumed, need fulfilled, both parties told with each other's contact, and a teacher
internship accepted without its replacement activity flagged to the coordinator."""

import logging

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import readmodel, templates
from services.notifier.decisions import record_decision
from services.notifier.notify import coordinators_of, notify, payload, webhook_organisations
from services.notifier.routing import to_coordinators, to_party
from services.notifier.rules import units_taken
from services.notifier.service import first_time
from services.notifier.tables import NeedView, OfferView, SuggestionView
from services.notifier.templates import MatchFacts
from shared.contracts import MatchDecided

log = logging.getLogger(__name__)


async def match_decided(session: AsyncSession, decided: MatchDecided) -> None:
    """Record a decision (unless the suggestion is no longer open) and apply an acceptance."""
    if not await first_time(session, decided.event_id):
        return
    suggestion = await session.get(SuggestionView, decided.match_id, with_for_update=True)
    if suggestion is None:
        log.warning("decision on unknown match %s ignored", decided.match_id)
        return
    if suggestion.decision_event_id != str(decided.event_id):
        if suggestion.status != "open":
            log.info("decision on %s match %s ignored", suggestion.status, decided.match_id)
            return
        record_decision(suggestion, decided)
    if decided.decision == "accepted":
        await _accept(session, suggestion)


async def _accept(session: AsyncSession, suggestion: SuggestionView) -> None:
    need = await session.get(NeedView, suggestion.need_id, with_for_update=True)
    offer = await session.get(OfferView, suggestion.offer_id, with_for_update=True)
    if need is None or offer is None:
        log.warning("accepted match %s has an unknown need or offer", suggestion.match_id)
        return
    units = units_taken(need.quantity - need.quantity_met, offer.capacity - offer.capacity_used)
    need.quantity_met += units
    offer.capacity_used += units
    if need.quantity_met >= need.quantity:
        need.status = "fulfilled"
    facts = readmodel.facts_of(suggestion, need, offer)
    await _tell_parties(session, facts)
    if need.kind == "teacher_internship" and need.wants_replacement:
        await _flag_missing_replacement(session, need, facts)


async def _tell_parties(session: AsyncSession, facts: MatchFacts) -> None:
    hooks = await webhook_organisations(
        session, [facts.school.organisation_id, facts.provider.organisation_id]
    )
    for party, other in ((facts.school, facts.provider), (facts.provider, facts.school)):
        message = templates.accepted(facts, party, other)
        await notify(
            session,
            facts.match_id,
            to_party(party, hooks),
            message,
            payload("accepted", facts, other),
        )


async def _flag_missing_replacement(
    session: AsyncSession, need: NeedView, facts: MatchFacts
) -> None:
    replacement_accepted = await session.scalar(
        select(
            exists().where(
                SuggestionView.status == "accepted",
                SuggestionView.need_id.in_(
                    select(NeedView.need_id).where(NeedView.linked_need_id == need.need_id)
                ),
            )
        )
    )
    if replacement_accepted:
        return
    message = templates.replacement_missing(facts)
    for route in to_coordinators(
        await coordinators_of(session, need.rtc_region), need.rtc_region, "replacement_missing"
    ):
        await notify(session, facts.match_id, route, message, payload("replacement_missing", facts))
