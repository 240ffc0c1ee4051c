"""Which ranking is in force, since when and with what measured lift, in plain Dutch for the
coordinators' dashboard: the one way other services read the learning state."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher.learning.registry import published_standings


@dataclass(frozen=True, slots=True)
class Standing:
    """The model in force (None: the hand-set weights) with when it began to rank and its
    stored debiased figures; and the model withdrawn last, when and why."""

    version: int | None = None
    since: datetime | None = None
    figures: dict[str, Any] | None = None
    withdrawn_version: int | None = None
    withdrawn_at: datetime | None = None


async def ranking_standing(session: AsyncSession) -> Standing:
    """The ranking in force and the last withdrawal, as stored."""
    published = await published_standings(session)
    live = next((model for model in published if model.withdrawn_at is None), None)
    gone = next((model for model in published if model.withdrawn_at is not None), None)
    return Standing(
        version=None if live is None else live.version,
        since=None if live is None else live.applied_at or live.created_at,
        figures=None if live is None else live.debiased,
        withdrawn_version=None if gone is None else gone.version,
        withdrawn_at=None if gone is None else gone.withdrawn_at,
    )


def in_dutch(standing: Standing) -> list[str]:
    """Sentences for a coordinator: what orders the suggestions and how well it was measured."""
    if standing.version is None:
        lines = [
            "De voorstellen worden gerangschikt met de vaste gewichten: afstand, vakgebied, "
            "graad, periode, tekst en capaciteit."
        ]
    else:
        since = "" if standing.since is None else f" sinds {standing.since:%d/%m/%Y}"
        lines = [
            f"De voorstellen worden{since} gerangschikt door het geleerde model "
            f"(versie {standing.version}), dat leerde uit de beslissingen van coördinatoren."
        ]
        lines += _lift_in_dutch(standing.figures)
    if standing.withdrawn_version is not None and standing.withdrawn_at is not None:
        lines.append(
            f"Model {standing.withdrawn_version} werd op {standing.withdrawn_at:%d/%m/%Y} "
            "teruggetrokken: het eerste voorstel werd er minder vaak aanvaard dan met de vaste "
            "gewichten."
        )
    return lines


def _lift_in_dutch(figures: dict[str, Any] | None) -> list[str]:
    if not figures:
        return []
    other = "de vaste gewichten" if figures["against"] == "weights" else "het vorige model"
    return [
        f"Op de {figures['needs']} meest recente behoeften werd het eerste voorstel naar "
        f"schatting in {_share(figures['candidate_top1'])} van de gevallen aanvaard, tegenover "
        f"{_share(figures['incumbent_top1'])} met {other}: {_points(figures['lift'])} "
        f"(met 95% zekerheid tussen {_points(figures['lift_low'])} en "
        f"{_points(figures['lift_high'])})."
    ]


def _share(value: float) -> str:
    """A debiased acceptance as a percentage (weighted, it may pass 1: shown as at most 100%)."""
    return f"{min(max(value, 0.0), 1.0):.0%}"


def _points(share: float) -> str:
    return f"{share * 100:+.0f} procentpunt"
