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
    login_free_failures: int = Field(
        5,
        description="Failed sign-ins of one account from one client before each next try waits "
        "(API_LOGIN_FREE_FAILURES).",
    )
    login_client_free_failures: int = Field(
        100,
        description="Failed sign-ins from one client, over all accounts, before its tries wait "
        "(API_LOGIN_CLIENT_FREE_FAILURES).",
    )
    login_account_free_failures: int = Field(
        50,
        description="Failed sign-ins to one account, over all clients, before tries from clients "
        "that never signed in to it wait (API_LOGIN_ACCOUNT_FREE_FAILURES).",
    )
    login_first_delay_seconds: float = Field(
        30,
        description="The wait after the first failure past the free ones; doubles with each "
        "further failure (API_LOGIN_FIRST_DELAY_SECONDS).",
    )
    login_max_delay_seconds: float = Field(
        900,
        description="The longest wait between sign-in tries (API_LOGIN_MAX_DELAY_SECONDS).",
    )
    login_forget_seconds: float = Field(
        86_400,
        description="Failures are forgotten this long after their wait ended "
        "(API_LOGIN_FORGET_SECONDS).",
    )
    login_known_client_seconds: float = Field(
        90 * 86_400,
        description="How long a client that signed in to an account stays exempt from the "
        "account's own throttle (API_LOGIN_KNOWN_CLIENT_SECONDS).",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated CIDRs of the proxies whose X-Forwarded-For is believed, "
        "e.g. the cluster's pod range (API_TRUSTED_PROXIES).",
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
