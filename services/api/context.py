"""What the API process holds between requests, built once by the app's lifespan."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.credentials import SessionSigner
from services.api.ratelimit import LoginLimiter
from services.api.settings import ApiSettings


@dataclass(frozen=True, slots=True)
class ApiContext:
    """Settings, database sessions, the cookie signer and the sign-in limiter."""

    settings: ApiSettings
    sessions: async_sessionmaker[AsyncSession]
    signer: SessionSigner
    limiter: LoginLimiter

    @classmethod
    def build(
        cls, settings: ApiSettings, sessions: async_sessionmaker[AsyncSession]
    ) -> "ApiContext":
        """The context for ``settings``, on ``sessions``."""
        return cls(
            settings=settings,
            sessions=sessions,
            signer=SessionSigner(
                settings.secret_key.get_secret_value(), settings.session_max_age_seconds
            ),
            limiter=LoginLimiter(settings.login_max_failures, settings.login_window_seconds),
        )
