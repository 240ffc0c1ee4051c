"""Reading shown and decided pairs and reading or writing ranking models, in the caller's
transaction.

A pair's features come from review's match outcomes (``services.review.outcomes``: outcome,
reason code, components, distance, the rank it was shown at and what ranked it) and the
matcher's copy of both postings (``matcher_postings.payload``: kind, field, grades, provider
type, capacity), the very values the matcher scored the pair on. Every pair shown for a need
with a decision is read, the undecided ones too: what nobody looked at is part of the exposure.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from pydantic import SecretStr
from sqlalchemy import ColumnElement, Integer, Row, Select, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.matcher.learning.features import COMPONENTS, Pairs
from services.matcher.learning.model import LearnedModel, dump, load, signature
from services.matcher.learning.tables import RankingModel, in_force
from services.matcher.learning.training import ACCEPTED, UNDECIDED, Decisions, Trained
from services.matcher.tables import MatcherPosting
from services.review.outcomes import match_outcomes

VERDICTS = (ACCEPTED, "rejected")  # revoked: the company cancelled, not the coordinator: skipped
UNSEEN = ("open", "withdrawn")  # shown, not (yet) decided
_NEED, _OFFER = aliased(MatcherPosting), aliased(MatcherPosting)
_OUTCOME = match_outcomes()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def count_decisions(session: AsyncSession) -> int:
    """How many decided pairs there are to learn from."""
    counted = await session.scalar(
        select(func.count())
        .select_from(_OUTCOME)
        .where(_OUTCOME.c.status.in_(VERDICTS), _OUTCOME.c.components.is_not(None))
    )
    return counted or 0


_DECIDED = _OUTCOME.c.status.in_(VERDICTS)
_COLUMNS = {
    "need_id": _OUTCOME.c.need_id,
    # An undecided pair goes with its need's first decision.
    "decided_at": func.coalesce(
        _OUTCOME.c.decided_at,
        func.min(_OUTCOME.c.decided_at).over(partition_by=_OUTCOME.c.need_id),
    ),
    "status": _OUTCOME.c.status,
    "rank": _OUTCOME.c.rank,
    "reason_code": _OUTCOME.c.reason_code,
    "distance_km": _OUTCOME.c.distance_km,
    "components": _OUTCOME.c.components,
    "need_kind": _NEED.payload["kind"].astext,
    "offer_kind": _OFFER.payload["kind"].astext,
    "need_field": _NEED.payload["field"].astext,
    "offer_field": _OFFER.payload["field"].astext,
    "need_grades": _NEED.payload["grades"],
    "provider_type": _OFFER.payload[("provider", "type")].astext,
    "offer_capacity": _OFFER.payload["capacity"].astext.cast(Integer),
}


async def decided_pairs(session: AsyncSession, model_version: int | None = None) -> Decisions:
    """Every pair shown for a need with an accepted or rejected pair, with its features and
    rank, oldest decision first; ``model_version``: only the lists that model ranked."""
    with_decision = select(_OUTCOME.c.need_id).where(_DECIDED, _OUTCOME.c.decided_at.is_not(None))
    shown: list[ColumnElement[bool]] = [
        _OUTCOME.c.status.in_(VERDICTS + UNSEEN),
        _OUTCOME.c.components.is_not(None),
        _OUTCOME.c.rank.is_not(None),
        _OUTCOME.c.need_id.in_(with_decision),
    ]
    if model_version is not None:
        shown += [_OUTCOME.c.ranked_by == "model", _OUTCOME.c.model_version == model_version]
    listed = (
        select(*(column.label(name) for name, column in _COLUMNS.items()))
        .select_from(_OUTCOME)
        .join(_NEED, (_NEED.side == "need") & (_NEED.posting_id == _OUTCOME.c.need_id))
        .join(_OFFER, (_OFFER.side == "offer") & (_OFFER.posting_id == _OUTCOME.c.offer_id))
        .where(*shown)
        .subquery()
    )
    statement = select(listed).order_by(listed.c.decided_at, listed.c.need_id, listed.c.rank)
    rows = (await session.execute(statement)).mappings().all()
    column = {name: [row[name] for row in rows] for name in _COLUMNS}
    return Decisions(
        need_ids=np.array(column["need_id"], dtype=str),
        decided_at=np.array(
            [(at - _EPOCH) // timedelta(microseconds=1) for at in column["decided_at"]],
            dtype=np.int64,
        ),
        outcomes=np.array(
            [
                _outcome(status, code)
                for status, code in zip(column["status"], column["reason_code"], strict=True)
            ],
            dtype=str,
        ),
        ranks=np.array(column["rank"], dtype=np.int64),
        pairs=Pairs(
            need_kind=column["need_kind"],
            offer_kind=column["offer_kind"],
            need_field=column["need_field"],
            offer_field=column["offer_field"],
            need_grades=[frozenset(grades or ()) for grades in column["need_grades"]],
            provider_type=column["provider_type"],
            offer_capacity=np.array(column["offer_capacity"], dtype=np.float64),
            distance_km=np.array(column["distance_km"], dtype=np.float64),
            components={
                name: np.array([_value(one, name) for one in column["components"]])
                for name in COMPONENTS
            },
        ),
    )


async def save_model(session: AsyncSession, trained: Trained, key: SecretStr) -> int:
    """Store a fitted model, signed with ``key``, with its figures; returns its version."""
    assert trained.pipeline is not None
    row = RankingModel(
        trained_on=trained.trained_on,
        metrics=trained.metrics | {"verdict": trained.verdict},
        published=trained.publish,
        model=dump(trained.pipeline),
    )
    session.add(row)
    await session.flush()  # the version is signed with the bytes: known once inserted
    row.signature = signature(key, row.version, row.model)
    await session.flush()
    return row.version


async def newest_published(session: AsyncSession) -> tuple[int, bool] | None:
    """The version in force, the newest published one not withdrawn, and whether a matcher has
    re-ranked with it yet (None: weights)."""
    row = (
        await session.execute(in_force().add_columns(RankingModel.applied_at.is_not(None)))
    ).first()
    return None if row is None else (row[0], row[1])


async def load_model(session: AsyncSession, version: int, key: SecretStr) -> LearnedModel:
    """A stored model, ready to rank, once its signature under ``key`` verifies."""
    row = (
        await session.execute(
            select(RankingModel.model, RankingModel.signature).where(
                RankingModel.version == version
            )
        )
    ).one()
    return load(version, row.model, row.signature, key)


async def mark_applied(session: AsyncSession, version: int) -> None:
    """Record that the lists have been re-ranked with ``version``."""
    await session.execute(
        update(RankingModel).where(RankingModel.version == version).values(applied_at=func.now())
    )


async def withdraw(session: AsyncSession, version: int, reason: str) -> None:
    """Take ``version`` out of force: the matchers fall back to the ranking before it."""
    await session.execute(
        update(RankingModel)
        .where(RankingModel.version == version, RankingModel.withdrawn_at.is_(None))
        .values(withdrawn_at=func.now(), withdrawn_reason=reason)
    )


def _published(*columns: Any) -> Select[Any]:
    return select(*columns).where(RankingModel.published).order_by(RankingModel.version.desc())


async def published_models(session: AsyncSession, limit: int = 10) -> list[RankingModel]:
    """The newest published models, withdrawn ones included (newest first)."""
    rows = await session.scalars(_published(RankingModel).limit(limit))
    return list(rows)


# Built once; the pickled models stay in the database (the dashboard asks on every request).
_STANDINGS = _published(
    RankingModel.version,
    RankingModel.created_at,
    RankingModel.applied_at,
    RankingModel.metrics["debiased"].label("debiased"),
    RankingModel.withdrawn_at,
).limit(bindparam("limit"))


async def published_standings(session: AsyncSession, limit: int = 10) -> list[Row[Any]]:
    """``published_models`` without the models: version, created_at, applied_at, the
    ``debiased`` figures of its metrics and withdrawn_at, as plain rows."""
    connection = await session.connection()
    return list(await connection.execute(_STANDINGS, {"limit": limit}))


async def newest_created(session: AsyncSession) -> datetime | None:
    """When the last model was trained."""
    return await session.scalar(select(func.max(RankingModel.created_at)))


def _outcome(status: str, code: str | None) -> str:
    if status in UNSEEN:
        return UNDECIDED
    return ACCEPTED if status == ACCEPTED else (code or "other")


def _value(components: dict[str, float | None], name: str) -> float:
    value = components.get(name)
    return np.nan if value is None else float(value)
