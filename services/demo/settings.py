"""Demo settings: how lively the demo world stays after it is published."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import Settings


class DemoSettings(Settings):
    """Each field of its own reads ``DEMO_<NAME>``; the shared ones keep their names."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_prefix="DEMO_")

    posting_seconds: float = Field(
        20, description="A new need or offer this often after the world is published (0: none)."
    )
    decision_delay_seconds: float = Field(
        5, description="How long the simulated coordinator waits before deciding a suggestion."
    )
    coordinator: bool = Field(
        True, description="Whether the simulated coordinator decides some rank-1 suggestions."
    )
