"""Logging for every service, configured once: JSON lines off a TTY, readable lines on one.

``pipeline_context`` binds ``event_id``, ``posting_id`` and ``match_id`` (contextvars) while an
event is handled, and every log line written meanwhile carries them, so one grep on a need's id
or an event id follows it through intake, matcher and notifier.
"""

import contextlib
import contextvars
import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

CONTEXT_FIELDS = ("event_id", "posting_id", "match_id")
_context: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar(
    "schakel_log_context", default=()
)
_configured = False
# Attributes every LogRecord has; anything else came in ``extra`` (FastStream: topic, group_id,
# message_id) and goes into the JSON line.
_STANDARD = {*vars(logging.makeLogRecord({})), "message", "asctime", "context", "fields"}


@contextlib.contextmanager
def pipeline_context(**fields: object) -> Iterator[None]:
    """Add ``fields`` (None values skipped) to every log line written inside the block."""
    bound = {name: str(value) for name, value in fields.items() if value is not None}
    token = _context.set(tuple({**dict(_context.get()), **bound}.items()))
    try:
        yield
    finally:
        _context.reset(token)


def event_context(event: object) -> contextlib.AbstractContextManager[None]:
    """``pipeline_context`` of a contract event: its id, its need or offer, its match."""
    posting_id = getattr(event, "need_id", None) or getattr(event, "offer_id", None)
    return pipeline_context(
        event_id=getattr(event, "event_id", None),
        posting_id=posting_id,
        match_id=getattr(event, "match_id", None),
    )


def current_context() -> dict[str, str]:
    """The fields bound at this point."""
    return dict(_context.get())


_base_factory = logging.getLogRecordFactory()


def _record_with_context(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Every record carries the bound fields (``record.context``), whatever handler takes it."""
    record = _base_factory(*args, **kwargs)
    record.context = current_context()
    return record


logging.setLogRecordFactory(_record_with_context)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, bound fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **{k: v for k, v in vars(record).items() if k not in _STANDARD},
            **getattr(record, "context", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class ReadableFormatter(logging.Formatter):
    """``time level logger: message key=value ...`` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s%(fields)s")

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "context", {})
        record.fields = "".join(f" {name}={value}" for name, value in fields.items())
        return super().format(record)


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is when a line is written (a test runner swaps it)."""

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, value: Any) -> None:
        """The stream is always the current stdout."""


def configure_logging(level: str | None = None, json_lines: bool | None = None) -> None:
    """Send the root logger to stdout once per process (later calls change nothing).

    ``LOG_LEVEL`` sets the level (default INFO); JSON unless stdout is a terminal.
    """
    global _configured
    if _configured:
        return
    _configured = True
    handler = StdoutHandler()
    as_json = not sys.stdout.isatty() if json_lines is None else json_lines
    handler.setFormatter(JsonFormatter() if as_json else ReadableFormatter())
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if type(h).__module__.startswith("_pytest")]
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO").upper())
