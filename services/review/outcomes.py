"""The outcome of every suggested pair as other services read it (the matcher's learning job):
a selectable of review's own, so that no other service names review's tables."""

from sqlalchemy import Subquery, select

from services.review.tables import ReviewMatch


def match_outcomes() -> Subquery:
    """Each suggested pair's status, its decision (reason code, time), the scores it was
    suggested with and where it was shown (its rank in the need's list, and what ranked that
    list: ``rule`` or ``model`` with its version; NULL from producers that did not say);
    columns ``match_id``, ``need_id``, ``offer_id``, ``status``, ``reason_code``,
    ``decided_at``, ``distance_km``, ``components``, ``rank``, ``ranked_by`` and
    ``model_version``."""
    return select(
        ReviewMatch.match_id,
        ReviewMatch.need_id,
        ReviewMatch.offer_id,
        ReviewMatch.status,
        ReviewMatch.reason_code,
        ReviewMatch.decided_at,
        ReviewMatch.distance_km,
        ReviewMatch.components,
        ReviewMatch.rank,
        ReviewMatch.ranked_by,
        ReviewMatch.model_version,
    ).subquery("match_outcomes")
