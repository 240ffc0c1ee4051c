"""Learning use cases: train on every decision, store the model, publish it if it is better."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.learning.registry import (
    count_decisions,
    decided_pairs,
    newest_created,
    save_model,
)
from services.matcher.learning.settings import LearningSettings
from services.matcher.learning.training import Trained, train
from services.matcher.settings import Weights

LOCK_KEY = 0x5C4A_0009  # one training at a time, whichever instance or CLI starts it


@dataclass(frozen=True, slots=True)
class Report:
    """What a training run did: the version stored (None: no model fitted or run skipped)."""

    version: int | None
    published: bool
    verdict: str
    metrics: dict[str, Any]


async def train_and_store(
    sessions: async_sessionmaker[AsyncSession],
    settings: LearningSettings,
    weights: Weights,
    due_only: bool = False,
) -> Report:
    """Train on every decision and store the model with its figures, published if it beats the
    hand-set ``weights`` on the most recent decisions; ``due_only`` skips the run when another
    is under way or a model was trained less than ``retrain_hours`` ago."""
    async with sessions() as session, session.begin():
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_KEY))):
            return Report(None, False, "another training is under way", {})
        if due_only and not await _due(session, settings.retrain_hours):
            return Report(None, False, "trained recently", {})
        counted = await count_decisions(session)
        if counted < settings.min_decisions:
            verdict = f"{counted} decisions, fewer than {settings.min_decisions}: the weights stay"
            return Report(None, False, verdict, {"decisions": counted})
        decisions = await decided_pairs(session)
        trained: Trained = await asyncio.to_thread(
            train, decisions, weights, settings.min_decisions, settings.holdout_share
        )
        if trained.pipeline is None:
            return Report(None, False, trained.verdict, trained.metrics)
        version = await save_model(session, trained, settings.model_signing_key)
    return Report(version, trained.publish, trained.verdict, trained.metrics)


async def _due(session: AsyncSession, retrain_hours: float) -> bool:
    last = await newest_created(session)
    return last is None or datetime.now(UTC) - last >= timedelta(hours=retrain_hours)
