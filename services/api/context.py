"""What the API process holds between requests, built once by the app's lifespan."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.client_address import Network, trusted_networks
from services.api.ratelimit import ThrottleRule
from services.api.round_slots import RoundSlots
from services.api.settings import ApiSettings
from services.api.sign_in_throttle import SignInThrottle
from services.api.sign_ins import SessionLimits


@dataclass(frozen=True, slots=True)
class ApiContext:
    """Settings, database sessions, the browser sessions' limits, the sign-in throttle, the
    proxies whose ``X-Forwarded-For`` is believed and the slots for allocation rounds."""

    settings: ApiSettings
    sessions: async_sessionmaker[AsyncSession]
    session_limits: SessionLimits
    throttle: SignInThrottle
    trusted_proxies: tuple[Network, ...]
    round_slots: RoundSlots

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
            throttle=SignInThrottle(
                sessions,
                _throttle_rule(settings),
                settings.login_forget_seconds,
                settings.login_known_client_seconds,
            ),
            trusted_proxies=trusted_networks(settings.trusted_proxies),
            round_slots=RoundSlots(settings.rounds_at_once),
        )


def _throttle_rule(settings: ApiSettings) -> ThrottleRule:
    return ThrottleRule(
        pair_free_failures=settings.login_free_failures,
        client_free_failures=settings.login_client_free_failures,
        account_free_failures=settings.login_account_free_failures,
        first_delay_seconds=settings.login_first_delay_seconds,
        max_delay_seconds=settings.login_max_delay_seconds,
    )
