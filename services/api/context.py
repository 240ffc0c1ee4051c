"""What the API process holds between requests, built once by the app's lifespan."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.ratelimit import LoginLimiter
from services.api.settings import ApiSettings
from services.api.sign_ins import SessionLimits


@dataclass(frozen=True, slots=True)
class ApiContext:
    """Settings, database sessions, the browser sessions' limits and the sign-in limiter."""

    settings: ApiSettings
    sessions: async_sessionmaker[AsyncSession]
    session_limits: SessionLimits
    limiter: LoginLimiter

    @classmethod
    def build(
        cls, settings: ApiSettings, sessions: async_sessionmaker[AsyncSession]
    ) -> "ApiContext":
        """The context for ``settings``, on ``sessions``."""
        return cls(
            settings=settings,
            sessions=sessions,
            session_limits=SessionLimits(
                idle=timedelta(seconds=settings.session_idle_seconds),
                lifetime=timedelta(seconds=settings.session_max_age_seconds),
            ),
            limiter=LoginLimiter(settings.login_max_failures, settings.login_window_seconds),
        )
