"""When things are due: the digest hour, retry backoff. Pure. Reminders are due by the working
days of ``shared.calendar``."""

from datetime import date, datetime, time, timedelta

from shared.calendar import LOCAL_TIME


def digest_day(now: datetime, digest_hour: int) -> date:
    """The local date of the latest digest due at ``now``: today from the digest hour on,
    yesterday before it (a digest missed while the service was down still goes out)."""
    local = now.astimezone(LOCAL_TIME)
    return local.date() - timedelta(days=0 if local.time() >= time(digest_hour) else 1)


def next_digest_at(now: datetime, digest_hour: int) -> datetime:
    """When the digest after the one due at ``now`` is due."""
    return datetime.combine(
        digest_day(now, digest_hour) + timedelta(days=1), time(digest_hour), LOCAL_TIME
    )


def retry_delay(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Exponential backoff after ``attempts`` failed tries: base, 2x base, 4x base ... capped."""
    exponent = min(max(attempts - 1, 0), 30)  # bounded so the float never overflows
    return timedelta(seconds=min(max_seconds, base_seconds * 2**exponent))
