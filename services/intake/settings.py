"""Intake settings: the shared ones, and the port of its operations endpoints."""

from pydantic import AliasChoices, Field

from shared.settings import Settings


class IntakeSettings(Settings):
    """Intake reads the shared settings and ``INTAKE_HTTP_PORT``."""

    http_port: int = Field(
        8001,
        validation_alias=AliasChoices("INTAKE_HTTP_PORT", "http_port"),
        description="Port of /health, /ready and /metrics (INTAKE_HTTP_PORT).",
    )
