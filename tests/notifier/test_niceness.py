"""On a machine it shares with intake and the matcher (``make up``), the notifier raises its CPU
niceness when it starts, so its bursts of work yield the cores to the needs on their way to a
suggestion. On Linux niceness belongs to each thread: every thread of the process gets it, those
started before the start-up job (a DNS resolver's, say) and those started after. Each case runs
in a process of its own (the job changes every thread of the process that runs it)."""

import os
import subprocess
import sys

# Starts a thread, runs the start-up job, starts another; prints the niceness of every thread.
PROBE = """
import os, sys
os.setpriority(os.PRIO_PROCESS, 0, int(sys.argv[1]))  # as started, before any thread
import asyncio, threading
from services.notifier.app import yielding
done = threading.Event()
before = threading.Thread(target=done.wait)
before.start()
asyncio.run(yielding(int(sys.argv[2]))())
after = threading.Thread(target=done.wait)
after.start()
print(sorted({os.getpriority(os.PRIO_PROCESS, int(t)) for t in os.listdir("/proc/self/task")}))
done.set()
"""


def _niceness_of_every_thread(started_at: int, setting: int) -> str:
    probe = [sys.executable, "-c", PROBE, str(started_at), str(setting)]
    return subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()


def test_every_thread_of_the_notifier_yields_before_and_after_the_job() -> None:
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert _niceness_of_every_thread(base, max(base, 10)) == f"[{max(base, 10)}]"


def test_a_notifier_started_nicer_stays_as_nice() -> None:
    assert _niceness_of_every_thread(15, 10) == "[15]"


def test_niceness_0_leaves_the_notifier_as_it_was_started() -> None:
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert _niceness_of_every_thread(base, 0) == f"[{base}]"
