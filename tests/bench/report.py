"""What the benchmarks on the real stack share: start it, measure, stop it, write the figures."""

import asyncio
import json
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any

from tests.stack import export_env, release, start_stack


def on_stack(
    measure: Callable[[], Coroutine[Any, Any, Mapping[str, object]]], results: Path
) -> None:
    """Start the test stack, run ``measure``, stop the stack (also on failure); write the figures
    to ``results`` and print them."""
    export_env()
    start_stack()
    try:
        figures = asyncio.run(measure())
    finally:
        release()
    results.parent.mkdir(exist_ok=True)
    results.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
