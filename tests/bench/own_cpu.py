"""A school's and a provider's own pages asked again and again, alone: the process's CPU a
request and the statements it sends, on the front door's world filled once
(``python -m tests.bench.queue_cpu fill``, the stack left running).

``python -m tests.bench.own_cpu`` (another checkout's code too, on the same database: old and
new in one session) asks each route ``BENCH_REQUESTS`` times after three warm-up requests and
prints the median and lowest CPU and the statements of one request (the outbox relay's left
out); ``python -m tests.bench.own_cpu dump DIR`` also writes each page's HTML to ``DIR``, the
CSRF token and the user's address left out, to compare two checkouts' pages byte for byte.
"""

import asyncio
import logging
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from services.api.settings import ApiSettings
from tests.bench import front_door
from tests.bench.timing import REQUESTS
from tests.stack import export_env

ROUTES = (
    ("school", "/school"), ("school", "/school?pagina=2"), ("school", "/school?pagina=50"),
    ("provider", "/aanbieder"), ("provider", "/aanbieder?pagina=2"),
    ("provider", "/aanbieder?pagina=50"), ("school", "/api/needs"),
    ("school", "/api/needs?page=2&page_size=50"), ("provider", "/api/offers"),
)  # fmt: skip
_TOKEN = re.compile(r'(name="csrf_token" value=|name="csrf-token" content=)"[^"]*"')
_USER = re.compile(r"[a-z]+-\d+-[0-9a-f]{6}@test\.example")  # a new user each run
_sent: list[str] = []


def _seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if not statement.startswith("DELETE FROM outbox"):
        _sent.append(statement)


async def measure(dump: Path | None) -> None:
    """Print CPU and statements a request of each route; write the pages to ``dump``."""
    event.listen(Engine, "before_cursor_execute", _seen)
    async with front_door._browsers(ApiSettings()) as browsers:
        for who, path in ROUTES:
            for _ in range(3):
                page = await browsers[who].get(path)
            if dump is not None:
                name = re.sub(r"[/?=&]", "_", path.strip("/"))
                (dump / f"{name}.html").write_text(_USER.sub("-", _TOKEN.sub(r'\1"-"', page.text)))
            _sent.clear()
            await browsers[who].get(path)
            sent, spent = len(_sent), []
            for _ in range(REQUESTS):
                started = time.process_time()
                await browsers[who].get(path)
                spent.append((time.process_time() - started) * 1000)
            print(f"{path:22} CPU median {statistics.median(spent):5.1f} ms, lowest "
                  f"{min(spent):5.1f} ms, {sent} statements")  # fmt: skip


def main() -> None:
    """Measure, and ``dump DIR``: the pages too."""
    export_env()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    dump = Path(sys.argv[2]) if sys.argv[1:2] == ["dump"] else None
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
    asyncio.run(measure(dump))


if __name__ == "__main__":
    main()
