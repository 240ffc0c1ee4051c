"""Running a benchmark against a fresh test stack and keeping its figures."""

import json
import logging
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any

import uvloop

from tests.stack import export_env, release, start_stack


def run_on_stack(
    figures: Callable[[], Coroutine[Any, Any, Mapping[str, object]]], results: Path
) -> None:
    """Start the test stack, measure, write and print the figures, stop the stack. The
    measuring runs on uvloop, the event loop the services and the API run on (uvicorn and
    ``faststream run`` take it when it is installed)."""
    # A line per request from httpx would be measured as the users' CPU (and fill the output).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    export_env()
    start_stack()
    try:
        measured = uvloop.run(figures())
    finally:
        release()
    results.parent.mkdir(exist_ok=True)
    results.write_text(json.dumps(measured, indent=2) + "\n")
    print(json.dumps(measured, indent=2))
