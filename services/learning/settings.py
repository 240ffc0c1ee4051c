"""Learning configuration, read from ``LEARNING_*`` variables."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LearningSettings(BaseSettings):
    """When a learned ranking may replace the hand-set weights, and how often it is retrained."""

    model_config = SettingsConfigDict(env_prefix="LEARNING_")

    min_decisions: int = Field(
        500, ge=1, description="Below this many decisions the hand-set weights stay in force."
    )
    holdout_share: float = Field(
        0.2, gt=0, lt=1, description="Share of the most recent decisions held out to evaluate."
    )
    retrain_hours: float = Field(
        24.0, ge=0, description="The matcher retrains this often (0: only the CLI trains)."
    )
