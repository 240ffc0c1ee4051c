"""API settings: each field reads ``API_<NAME>``; connection settings keep their shared names."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import Settings

DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production"  # noqa: S105
# Values that were published (the development key, an old k8s placeholder): never a real secret.
PUBLISHED_KEYS = frozenset({DEV_SECRET_KEY, "change-me-to-a-long-random-value"})
MIN_SECRET_KEY_CHARS = 32


class UnsafeSecretKeyError(RuntimeError):
    """The secret key is one anybody could know or guess; the API does not start with it."""


class ApiSettings(Settings):
    """Settings of the HTTP API (safe local defaults; production must set the secret key)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_prefix="API_")

    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET_KEY),
        description="Signs what the API hands out (e-mail links); at least 32 random characters. "
        "The API refuses to start with the default, a short or a published key unless "
        "API_LOCAL_MODE is true (API_SECRET_KEY).",
    )
    local_mode: bool = Field(
        False,
        description="Local development only: allow the development secret key (API_LOCAL_MODE).",
    )
    cookie_secure: bool = Field(
        False,
        description="Send the session cookie over HTTPS only; true behind TLS (API_COOKIE_SECURE).",
    )
    session_max_age_seconds: int = Field(
        12 * 3600,
        gt=0,
        description="Absolute lifetime of a sign-in, however active (API_SESSION_MAX_AGE_SECONDS).",
    )
    session_idle_seconds: int = Field(
        2 * 3600,
        gt=0,
        description="A sign-in not used for this long ends (API_SESSION_IDLE_SECONDS).",
    )
    token_lifetime_days: int = Field(
        90,
        gt=0,
        description="Default lifetime of a new bearer token; `token create --days` overrides it "
        "(API_TOKEN_LIFETIME_DAYS).",
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
    reset_link_minutes: int = Field(
        60,
        gt=0,
        le=24 * 60,
        description="How long a mailed password reset link works; once used it stops "
        "(API_RESET_LINK_MINUTES).",
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
    pool_timeout_seconds: float = Field(
        10,
        gt=0,
        description="How long a request waits for a free database connection before it answers "
        "503 with Retry-After (API_POOL_TIMEOUT_SECONDS).",
    )
    rounds_at_once: int = Field(
        2,
        gt=0,
        description="Most allocation rounds and rotation plans computed at once (each takes a "
        "CPU core for seconds in a big region); one more answers 503 with Retry-After "
        "(API_ROUNDS_AT_ONCE).",
    )
    exact_count_limit: int = Field(
        1_000,
        gt=0,
        description="Lists count their matches exactly up to this many; above it they show the "
        "database's estimate ('ongeveer'), which costs no scan (API_EXACT_COUNT_LIMIT).",
    )

    def check_secret_key(self) -> None:
        """Raise UnsafeSecretKeyError for a published, short or barely varied key, unless in
        local mode."""
        key = self.secret_key.get_secret_value()
        if self.local_mode:
            return
        if key in PUBLISHED_KEYS or len(key) < MIN_SECRET_KEY_CHARS or len(set(key)) < 10:
            raise UnsafeSecretKeyError(
                "API_SECRET_KEY is the development key, published, or shorter than "
                f"{MIN_SECRET_KEY_CHARS} random characters; set a long random value "
                "(openssl rand -base64 48), or API_LOCAL_MODE=true on a developer machine"
            )
