"""Failed sign-ins counted per e-mail address and per client address (sliding window).

In-process: each API instance counts on its own, so with N instances an attacker gets up to N
times the limit. That is acceptable for a brute-force brake; a shared store (PostgreSQL, Redis)
would make it exact across instances.
"""

import time
from collections import deque
from collections.abc import Callable, Iterable


class LoginLimiter:
    """Refuses sign-in for a key that failed ``max_failures`` times within ``window_seconds``."""

    def __init__(
        self,
        max_failures: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_failures = max_failures
        self._window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, keys: Iterable[str]) -> float | None:
        """Seconds until one of ``keys`` may try again, or ``None`` when none is blocked."""
        waits = [self._wait(key) for key in keys]
        blocked = [wait for wait in waits if wait is not None]
        return max(blocked) if blocked else None

    def failed(self, keys: Iterable[str]) -> None:
        """Count one failed attempt against each of ``keys``."""
        now = self._clock()
        for key in keys:
            failures = self._recent(key, now)
            failures.append(now)
            self._failures[key] = failures

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures

    def _wait(self, key: str) -> float | None:
        now = self._clock()
        failures = self._recent(key, now)
        if not failures:  # keep the table from growing with keys that stopped failing
            self._failures.pop(key, None)
        if len(failures) < self._max_failures:
            return None
        return failures[-self._max_failures] + self._window - now
