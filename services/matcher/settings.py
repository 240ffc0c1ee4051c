"""Matcher configuration: the shared settings, score weights and ranking limits (``MATCHER_*``)."""

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from shared.settings import Settings


class Weights(BaseModel):
    """Relative weight of each score component; the score is their weighted mean."""

    distance: float = Field(0.20, ge=0, description="Closeness of the venue to the school.")
    field: float = Field(0.25, ge=0, description="Field closeness from the taxonomy.")
    text: float = Field(
        0.30, ge=0, description="TF-IDF similarity of title, description, keywords."
    )
    grade: float = Field(0.10, ge=0, description="Share of the need's grades the offer targets.")
    period: float = Field(0.10, ge=0, description="Share of the need's window the offer covers.")
    capacity: float = Field(
        0.05, ge=0, description="Remaining capacity against the quantity asked."
    )
    region: float = Field(
        0.0,
        ge=0,
        description="Same RTC region as the school, on top of region_km (0: the region "
        "counts only as region_km nearer).",
    )


class MatcherSettings(Settings):
    """Tuning of the matcher; each field of its own reads ``MATCHER_<NAME>`` (nested: ``__``),
    the shared ones keep their names."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", env_prefix="MATCHER_", env_nested_delimiter="__"
    )

    weights: Weights = Field(Weights(), description="Weight of each score component.")
    k: int = Field(5, ge=1, description="Suggestions kept per need.")
    min_score: float = Field(0.35, ge=0, le=1, description="Scores below this are never suggested.")
    distance_scale_km: float = Field(
        50.0,
        gt=0,
        description="Distance at which the distance component has decayed to 1/e; it falls "
        "as exp(-(km / scale)^2), so the first kilometres hardly count and text decides "
        "between offers near the school.",
    )
    school_distance_scale_km: float = Field(
        250.0,
        gt=0,
        description="distance_scale_km of offers the provider brings to the school "
        "(venue school): its distance hardly matters.",
    )
    region_km: float = Field(
        5.0,
        ge=0,
        description="An offer in the school's own RTC region counts as this much nearer: the "
        "region never outweighs a larger difference in distance.",
    )
    open_grades_fit: float = Field(
        0.8, ge=0, le=1, description="Grade component when the offer or need names no grades."
    )
    batch_size: int = Field(500, ge=1, description="Most events applied in one transaction.")
    http_port: int = Field(8002, description="Port of /health, /ready and /metrics.")
    text_refresh_ratio: float = Field(
        0.25, gt=0, description="Refit the text model when this share of postings changed."
    )
    rerank_depth: int = Field(
        4,
        ge=1,
        description="With a learned ranking published, it re-orders each need's best "
        "rerank_depth x k candidates by hand-set score.",
    )
    model_poll_seconds: float = Field(
        60.0, gt=0, description="How often an idle matcher looks for a newly published model."
    )
