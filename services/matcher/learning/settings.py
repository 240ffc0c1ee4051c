"""Learning configuration: the shared settings and its own ``LEARNING_*`` variables."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import Settings, Shared


class LearningSettings(Settings):
    """When a learned ranking may replace the hand-set weights, how often it is retrained, and
    the key its models are signed with."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_prefix="LEARNING_")

    min_decisions: int = Field(
        500, ge=1, description="Below this many decisions the hand-set weights stay in force."
    )
    holdout_share: float = Field(
        0.2, gt=0, lt=1, description="Share of the most recent decisions held out to evaluate."
    )
    min_lift: float = Field(
        0.0,
        description="A new model is published only if the lower bound of its debiased top-1 "
        "lift over the ranking in force (95% bootstrap over needs) is above this.",
    )
    min_live_needs: int = Field(
        200,
        ge=1,
        description="Needs decided on the published model's lists before its live decisions "
        "may withdraw it.",
    )
    retrain_hours: float = Field(
        24.0, ge=0, description="The matcher retrains this often (0: only the CLI trains)."
    )
    model_signing_key: SecretStr = Shared(
        SecretStr("dev-only-model-signing-key-change-me"),
        description="HMAC-SHA256 key the learning job signs models with and the matcher verifies "
        "them with before unpickling; only those two hold it (MODEL_SIGNING_KEY).",
        name="model_signing_key",
    )
