"""API settings: each field reads ``API_<NAME>``; connection settings keep their shared names."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import Settings

DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production"  # noqa: S105


class ApiSettings(Settings):
    """Settings of the HTTP API (safe local defaults; set the secret key in production)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_prefix="API_")

    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET_KEY),
        description="Signs session cookies; a long random value in production (API_SECRET_KEY).",
    )
    cookie_secure: bool = Field(
        False,
        description="Send the session cookie over HTTPS only; true behind TLS (API_COOKIE_SECURE).",
    )
    session_max_age_seconds: int = Field(
        12 * 3600,
        description="How long a sign-in lasts (API_SESSION_MAX_AGE_SECONDS).",
    )
    login_max_failures: int = Field(
        10,
        description="Failed sign-ins per e-mail address or client address before 429 "
        "(API_LOGIN_MAX_FAILURES).",
    )
    login_window_seconds: float = Field(
        300,
        description="Window in which failed sign-ins are counted (API_LOGIN_WINDOW_SECONDS).",
    )
    max_json_bytes: int = Field(
        1_000_000,
        description="Largest request body except CSV uploads; 413 beyond (API_MAX_JSON_BYTES).",
    )
    max_upload_bytes: int = Field(
        5_000_000,
        description="Largest CSV upload; 413 beyond (API_MAX_UPLOAD_BYTES).",
    )
    max_import_rows: int = Field(
        10_000,
        description="Most offers one CSV import may hold (API_MAX_IMPORT_ROWS).",
    )
