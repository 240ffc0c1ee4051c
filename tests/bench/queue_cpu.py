"""The queue's first request after a change, alone: the process's CPU a request and the
statements it sends, per queue route of the front door's bench, on a world filled once.

``python -m tests.bench.queue_cpu fill`` starts the test stack (``TEST_*_PORT``) and fills the
front door's world straight in PostgreSQL (``FRONT_DOOR_NEEDS``, default 50,000), leaving the
stack running; then ``python -m tests.bench.queue_cpu [cards_rendered|page_rendered] [recount]``
(another checkout's code too, on the same database: old and new in one session) asks each queue
route ``BENCH_REQUESTS`` times with the cards rendered as the bench's variants do, ``recount``:
the total counted again as after a change, and prints the median and lowest CPU and the
statements of one request (the outbox relay's left out).
"""

import asyncio
import logging
import statistics
import sys
import time
from typing import Any

import uvloop
from sqlalchemy import event
from sqlalchemy.engine import Engine

from services.api.pages import queue_fragments
from services.api.settings import ApiSettings
from services.review import queries
from tests.bench import front_door
from tests.bench.timing import REQUESTS
from tests.stack import database_url, export_env, start_stack

QUEUE_ROUTES = ("queue_page", "queue_page_by_age", "queue_filtered", "queue_one_school")
ROUTES = tuple(front_door.ROUTES) or (*QUEUE_ROUTES, "queue_rejected", "queue_page_50")
_sent: list[str] = []


def _seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if not statement.startswith("DELETE FROM outbox"):
        _sent.append(statement)


async def measure(variant: str, recount: bool) -> None:
    """Print CPU and statements a request of each queue route, cards as ``variant``."""
    if variant != "as_served":
        queue_fragments.remembered = front_door._rendered
    if variant == "cards_rendered":
        queue_fragments.card = front_door._card_rendered
    if recount:
        queries.remembered = front_door._every_time
    event.listen(Engine, "before_cursor_execute", _seen)
    async with front_door._browsers(ApiSettings()) as browsers:
        listing = await browsers["coordinator"].get(f"{front_door.QUEUE}/lijst?status=open")
        for name in ROUTES:
            who, path = front_door.every_route(False)[name]
            path, http = path.format(version=front_door.queue_version(listing.text)), browsers[who]
            for _ in range(3):
                await http.get(path)
            _sent.clear()
            await http.get(path)
            sent, spent = len(_sent), []
            for _ in range(REQUESTS):
                started = time.process_time()
                await http.get(path)
                spent.append((time.process_time() - started) * 1000)
            print(f"{name:18} CPU median {statistics.median(spent):5.1f} ms, lowest "
                  f"{min(spent):5.1f} ms, {sent} statements")  # fmt: skip


async def fill() -> None:
    """Fill the front door's world on the test stack, left running."""
    await front_door.world.fill_database(database_url(), front_door.NEEDS, 10_000, 0)


def main() -> None:
    """``fill``, or measure with the variant and ``recount`` given."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its line per request: measured CPU
    export_env()
    if sys.argv[1:2] == ["fill"]:
        start_stack()
        asyncio.run(fill())
    else:
        variant = sys.argv[1] if len(sys.argv) > 1 else "cards_rendered"
        uvloop.run(measure(variant, "recount" in sys.argv[2:]))  # the API's loop


if __name__ == "__main__":
    main()
