"""Following the published model: each kind group's lists are ranked with the newest published
version.

Checked in every transaction (read with the group's lock, ``MatcherStore.lock``, and read again
when it differs from the version the lists are ranked with); the first instance to meet a new
version in a group re-ranks the group's lists with it and records so on the group's row (and
``applied_at`` on the model); the others take the re-ranked lists over from the database and
only start ranking with it.
"""

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher.domain import Changes
from services.matcher.engine import Matcher
from services.matcher.learned import LearnedRanking
from services.matcher.learning.model import RefusedModel
from services.matcher.learning.registry import load_model, mark_applied, newest_published
from services.matcher.learning.settings import LearningSettings
from services.matcher.store import GroupMark, MatcherStore
from shared.metrics import RANKING_IN_FORCE

log = logging.getLogger(__name__)
UNKNOWN = -1  # nothing looked at yet (start-up, or after a failed transaction)


class RankingFollower:
    """Which published version a group's matcher ranks with (None: the hand-set weights)."""

    def __init__(self) -> None:
        self._version: int | None = UNKNOWN
        self._signing_key = LearningSettings().model_signing_key

    def forget(self) -> None:
        """Look again in the next transaction (the matcher is being rebuilt)."""
        self._version = UNKNOWN

    async def follow(
        self, session: AsyncSession, group: str, mark: GroupMark, matcher: Matcher
    ) -> Changes:
        """Switch ``matcher`` to the newest published version if it is not ranking with it;
        re-rank the group's lists unless they already are ranked with it (``mark``).

        The lock read the version in force as its statement began: while the group's lists are
        ranked with that one it is taken as it is, else read again now the lock is held (a model
        published while the lock waited: another instance may have re-ranked with it)."""
        version = mark.published
        if version != mark.ranking_version:
            published = await newest_published(session)
            version = None if published is None else published[0]
        if version == self._version:
            return Changes()
        ranking: LearnedRanking | None = None
        if version is not None:
            try:
                ranking = await load_model(session, version, self._signing_key)
            except RefusedModel as refused:
                log.warning("%s: refused, the weights rank", refused)
        rerank = mark.ranking_version != version
        changes = await asyncio.to_thread(matcher.use_ranking, ranking, rerank)
        if rerank:
            await MatcherStore(session).mark_ranked(group, version)
            if version is not None:
                await mark_applied(session, version)
        self._version = version
        RANKING_IN_FORCE.set(version or 0)
        return changes
