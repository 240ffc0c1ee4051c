"""What decisions entail for people, from matches.decided and matches.reviewed.

A ``matches.decided`` published by another system is taken under the review's one rule, as its
``decided_by`` (a coordinator, in its own region, or the admin; ``services.review.reviewers``);
a refusal goes to postings.rejected with its reason. One the web API published was taken
already. Every decision the review took comes back as ``matches.reviewed``: an acceptance tells
both parties with each other's contact (and flags a teacher internship without its replacement
activity), a revocation tells both parties it is off; a step of the journey after acceptance is
told by ``journey_notices``.
"""

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import templates
from services.notifier.coordinators import coordinators_of
from services.notifier.facts import facts_of
from services.notifier.journey_notices import journey_stepped
from services.notifier.notify import notify, payload, webhook_organisations
from services.notifier.routing import NotificationType, to_coordinators, to_party
from services.notifier.templates import MatchFacts
from services.review.announcements import decision_event_of, replacement_accepted, with_postings
from services.review.decisions import take
from services.review.queries import ReviewNeed
from services.review.reviewers import reviewer_named
from services.review.rules import DecisionRefused
from shared import topics
from shared.contracts import FieldError, MatchDecided, MatchReviewed, PostingRejected
from shared.mail_choices import DEFAULT_CHOICE, choices_by_email
from shared.outbox import add_to_outbox

log = logging.getLogger(__name__)


async def match_decided(session: AsyncSession, decided: MatchDecided) -> None:
    """Take a decision made outside the web API (claimed by the caller); refuse it on
    postings.rejected if the rule does not allow it."""
    if await decision_event_of(session, decided.match_id) == str(decided.event_id):
        return  # taken when it was made (web API)
    try:
        reviewer = await reviewer_named(session, decided.decided_by)
        async with session.begin_nested():
            await take(session, decided, reviewer)
    except DecisionRefused as refusal:
        log.info("decision %s on %s refused: %s", decided.event_id, decided.match_id, refusal)
        rejected = _refused(decided, refusal)
        add_to_outbox(session, topics.POSTINGS_REJECTED, decided.match_id[:100], rejected)


def _refused(decided: MatchDecided, refusal: DecisionRefused) -> PostingRejected:
    return PostingRejected(
        event_id=uuid.uuid4(),
        source_topic=topics.MATCHES_DECIDED,
        source_event_id=str(decided.event_id),
        posting_id=decided.match_id,
        errors=[FieldError(field="decision", message=f"{refusal.code}: {refusal.message}")],
        received_at=datetime.now(UTC),
    )


async def match_reviewed(session: AsyncSession, reviewed: MatchReviewed) -> None:
    """Tell the parties about an acceptance or a revocation, and whom a step of the journey
    after it concerns (claimed by the caller)."""
    if reviewed.step is not None:
        await journey_stepped(session, reviewed)
        return
    if reviewed.status == "rejected":
        return
    for match, need, offer in await with_postings(session, [reviewed.match_id]):
        facts = facts_of(match, need, offer)
        if reviewed.status == "revoked":
            await _tell_parties(session, facts, "revoked", reviewed.reason)
            continue
        await _tell_parties(session, facts, "accepted", reviewed.reason)
        if need.kind == "teacher_internship" and need.wants_replacement:
            await _flag_missing_replacement(session, need, facts)


async def _tell_parties(
    session: AsyncSession, facts: MatchFacts, kind: NotificationType, reason: str
) -> None:
    hooks = await webhook_organisations(
        session, [facts.school.organisation_id, facts.provider.organisation_id]
    )
    choices = await choices_by_email(
        session, [facts.school.contact_email, facts.provider.contact_email]
    )
    for party, other in ((facts.school, facts.provider), (facts.provider, facts.school)):
        choice = choices.get(party.contact_email.strip().lower(), {}).get(kind, DEFAULT_CHOICE)
        if kind == "revoked":
            message = templates.revoked(facts, party, reason)
            body = payload("revoked", facts)
        else:
            message = templates.accepted(facts, party, other)
            body = payload("accepted", facts, other)
        await notify(session, facts.match_id, to_party(party, hooks, kind, choice), message, body)


async def _flag_missing_replacement(
    session: AsyncSession, need: ReviewNeed, facts: MatchFacts
) -> None:
    if await replacement_accepted(session, need.need_id):
        return
    message = templates.replacement_missing(facts)
    for route in to_coordinators(
        await coordinators_of(session, need.rtc_region), need.rtc_region, "replacement_missing"
    ):
        await notify(session, facts.match_id, route, message, payload("replacement_missing", facts))
