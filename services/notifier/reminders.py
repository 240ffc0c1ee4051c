"""What the web pages show of the notifier's reminders and clock: the local time zone, how many
working days a suggestion may wait, and when an open suggestion is late."""

from datetime import datetime
from functools import cache

from services.notifier.schedule import LOCAL_TIME, reminder_due_at
from services.notifier.settings import NotifierSettings

__all__ = ["LOCAL_TIME", "is_late", "reminder_working_days"]


@cache
def reminder_working_days() -> int:
    """Working days a suggestion may stay undecided before its coordinator is reminded (read
    from the settings once, on first use)."""
    return NotifierSettings().reminder_working_days


def is_late(suggested_at: datetime, now: datetime) -> bool:
    """Whether a suggestion made at ``suggested_at`` is past its reminder's due time ``now``."""
    return reminder_due_at(suggested_at, reminder_working_days()) <= now
