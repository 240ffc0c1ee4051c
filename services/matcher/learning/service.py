"""Learning use cases: withdraw the published model if its live decisions are worse than the
weights', train on every decision, store the model, publish it if it beats the ranking in
force."""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sklearn.pipeline import Pipeline
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.learning.model import RefusedModel
from services.matcher.learning.registry import (
    count_decisions,
    decided_pairs,
    load_model,
    newest_created,
    newest_published,
    save_model,
    withdraw,
)
from services.matcher.learning.settings import LearningSettings
from services.matcher.learning.tables import RankingModel
from services.matcher.learning.training import Trained, train
from services.matcher.learning.withdrawal import live_lift, withdrawal_reason
from services.matcher.settings import Weights
from shared.metrics import RANKINGS_WITHDRAWN

log = logging.getLogger(__name__)

LOCK_KEY = 0x5C4A_0009  # one training at a time, whichever instance or CLI starts it


@dataclass(frozen=True, slots=True)
class Report:
    """What a training run did: the version stored (None: no model fitted or run skipped)."""

    version: int | None
    published: bool
    verdict: str
    metrics: dict[str, Any]
    withdrawn: str | None = None  # why the model in force was withdrawn in this run


async def train_and_store(
    sessions: async_sessionmaker[AsyncSession],
    settings: LearningSettings,
    weights: Weights,
    due_only: bool = False,
) -> Report:
    """Withdraw the model in force if its live decisions are worse than the ``weights``'; then
    train on every decision and store the model with its figures, published if it beats the
    ranking in force on the most recent needs; ``due_only`` skips the training when another
    run is under way or a model was trained less than ``retrain_hours`` ago."""
    async with sessions() as session, session.begin():
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_KEY))):
            return Report(None, False, "another training is under way", {})
        withdrawn = await withdraw_if_worse(session, settings, weights)
        if due_only and not await _due(session, settings.retrain_hours):
            return Report(None, False, "trained recently", {}, withdrawn)
        counted = await count_decisions(session)
        if counted < settings.min_decisions:
            verdict = f"{counted} decisions, fewer than {settings.min_decisions}: the weights stay"
            return Report(None, False, verdict, {"decisions": counted}, withdrawn)
        decisions = await decided_pairs(session)
        champion = await _in_force(session, settings)
        trained: Trained = await asyncio.to_thread(
            train, decisions, weights, settings.min_decisions, settings.holdout_share,
            champion, settings.min_lift,
        )  # fmt: skip
        if trained.pipeline is None:
            return Report(None, False, trained.verdict, trained.metrics, withdrawn)
        version = await save_model(session, trained, settings.model_signing_key)
    log.info("model %s: %s", version, trained.verdict)
    return Report(version, trained.publish, trained.verdict, trained.metrics, withdrawn)


async def withdraw_if_worse(
    session: AsyncSession, settings: LearningSettings, weights: Weights
) -> str | None:
    """Withdraw the published model in force when, over at least ``min_live_needs`` needs it
    ranked, its top-1 acceptance is below the weights' beyond noise; returns why, or None."""
    in_force = await newest_published(session)
    if in_force is None:
        return None
    version = in_force[0]
    live = await decided_pairs(session, model_version=version)
    lift = await asyncio.to_thread(live_lift, live, weights)
    reason = withdrawal_reason(version, lift, settings.min_live_needs)
    if reason is not None:
        await withdraw(session, version, reason)
        RANKINGS_WITHDRAWN.inc()
        log.warning("%s", reason)
    return reason


async def _in_force(session: AsyncSession, settings: LearningSettings) -> Pipeline | None:
    """The published model a new one must beat (None: the weights)."""
    in_force = await newest_published(session)
    if in_force is None:
        return None
    try:
        return (await load_model(session, in_force[0], settings.model_signing_key)).pipeline
    except RefusedModel as refused:
        log.warning("%s: the weights are the ranking to beat", refused)
        return None


async def _due(session: AsyncSession, retrain_hours: float) -> bool:
    last = await newest_created(session)
    return last is None or datetime.now(UTC) - last >= timedelta(hours=retrain_hours)


def ranking_status(published: Sequence[RankingModel]) -> list[str]:
    """Lines for the operator: the ranking in force (the newest published model not withdrawn,
    else the weights), since when and its measured lift; then every published model."""
    live = [model for model in published if model.withdrawn_at is None]
    lines = ["in force: the hand-set weights"]
    if live:
        since = live[0].applied_at or live[0].created_at
        lines = [
            f"in force: model {live[0].version} since {since:%Y-%m-%d %H:%M} UTC, {_lift(live[0])}"
        ]
    for model in published:
        state = "in force" if live and model is live[0] else "published earlier"
        if model.withdrawn_at is not None:
            state = f"withdrawn {model.withdrawn_at:%Y-%m-%d %H:%M} UTC: {model.withdrawn_reason}"
        lines.append(f"model {model.version} ({model.created_at:%Y-%m-%d}): {state}")
    return lines


def _lift(model: RankingModel) -> str:
    figures = model.metrics.get("debiased")
    if not figures:
        return "no debiased lift measured"
    return (
        f"debiased top-1 lift {figures['lift']:+.3f} over the {figures['against']} "
        f"(95% interval [{figures['lift_low']:+.3f}, {figures['lift_high']:+.3f}], "
        f"{figures['needs']} needs)"
    )
