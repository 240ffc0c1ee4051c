"""On a machine it shares with intake and the matcher (``make up``), the notifier raises its CPU
niceness when it starts, so its bursts of work yield the cores to the needs on their way to a
suggestion. Each case runs in a thread of its own: on Linux niceness belongs to a thread, and
threads inherit it from the one that starts them."""

import asyncio
import os
import threading

from services.notifier.app import yielding


def _niceness_in_a_thread(starting_at: int, job_niceness: int) -> tuple[int, int]:
    """(the thread's niceness after the start-up job, that of a worker thread it starts later)."""
    seen: list[int] = []

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, 0)

    async def start() -> None:
        await yielding(job_niceness)()
        seen.append(niceness())
        seen.append(await asyncio.to_thread(niceness))

    def run() -> None:
        os.setpriority(os.PRIO_PROCESS, 0, starting_at)
        asyncio.run(start())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    mine, worker = seen
    return mine, worker


def test_the_notifier_raises_its_niceness_and_its_later_threads_share_it() -> None:
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert _niceness_in_a_thread(base, max(base, 10)) == (max(base, 10), max(base, 10))


def test_a_notifier_started_nicer_stays_as_nice() -> None:
    assert _niceness_in_a_thread(15, 10) == (15, 15)


def test_niceness_0_leaves_the_notifier_as_it_was_started() -> None:
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert _niceness_in_a_thread(base, 0) == (base, base)
