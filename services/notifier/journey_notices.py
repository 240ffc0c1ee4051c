"""What the journey after acceptance tells people, from ``matches.reviewed`` with a step: a
cancellation goes to both parties; a loan's unit returned or checked goes to the next school of
the offer's rotation (once, whichever of the two comes first)."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import journey_texts
from services.notifier.facts import facts_of
from services.notifier.notify import notify, payload, webhook_organisations
from services.notifier.routing import to_party
from services.review.announcements import next_in_rotation, with_postings
from services.review.journey import ON_ITS_WAY
from shared.contracts import MatchReviewed


async def journey_stepped(session: AsyncSession, reviewed: MatchReviewed) -> None:
    """Tell whom a marked step concerns (claimed by the caller)."""
    if reviewed.step == "cancelled":
        await _tell_cancelled(session, reviewed)
    elif reviewed.step in ON_ITS_WAY:
        await _tell_next_school(session, reviewed.match_id)


async def _tell_cancelled(session: AsyncSession, reviewed: MatchReviewed) -> None:
    for match, need, offer in await with_postings(session, [reviewed.match_id]):
        facts = facts_of(match, need, offer)
        parties = (facts.school, facts.provider)
        hooks = await webhook_organisations(session, [party.organisation_id for party in parties])
        for party in parties:
            message = journey_texts.cancelled(facts, party, reviewed.reason)
            route = to_party(party, hooks, "cancelled")
            await notify(session, facts.match_id, route, message, payload("cancelled", facts))


async def _tell_next_school(session: AsyncSession, match_id: str) -> None:
    following = await next_in_rotation(session, match_id)
    if following is None:
        return
    match, need, offer = following
    if match.booked_from is None or match.booked_until is None:
        return
    facts = facts_of(match, need, offer)
    hooks = await webhook_organisations(session, [facts.school.organisation_id])
    message = journey_texts.on_its_way(facts, match.booked_from, match.booked_until)
    route = to_party(facts.school, hooks, "on_its_way")
    await notify(session, facts.match_id, route, message, payload("on_its_way", facts))
