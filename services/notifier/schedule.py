"""When things are due: working days for reminders, the digest hour, retry backoff. Pure."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Coordinators work on Belgian time; "a working day" and "the morning digest" are local notions.
LOCAL_TIME = ZoneInfo("Europe/Brussels")
_SATURDAY = 5


def is_working_day(day: date) -> bool:
    """Monday to Friday (public holidays are not modelled)."""
    return day.weekday() < _SATURDAY


def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day``; a weekend start counts from Monday."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def reminder_due_at(suggested_at: datetime, working_days: int) -> datetime:
    """When an undecided suggestion made at ``suggested_at`` earns a reminder (local clock time)."""
    local = suggested_at.astimezone(LOCAL_TIME)
    due_day = add_working_days(local.date(), working_days)
    return datetime.combine(due_day, local.timetz())


def digest_day(now: datetime, digest_hour: int) -> date:
    """The local date of the latest digest due at ``now``: today from the digest hour on,
    yesterday before it (a digest missed while the service was down still goes out)."""
    local = now.astimezone(LOCAL_TIME)
    return local.date() - timedelta(days=0 if local.time() >= time(digest_hour) else 1)


def retry_delay(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Exponential backoff after ``attempts`` failed tries: base, 2x base, 4x base ... capped."""
    exponent = min(max(attempts - 1, 0), 30)  # bounded so the float never overflows
    return timedelta(seconds=min(max_seconds, base_seconds * 2**exponent))
