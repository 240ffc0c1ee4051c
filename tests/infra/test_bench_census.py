"""The pipeline bench's CPU census counts a process group's work, also of children that exited
meanwhile (as PostgreSQL's backends do), and splits the machine into the stack and the rest."""

import subprocess
import sys
import time

import psutil

from tests.bench import census

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"


def test_a_group_keeps_the_cpu_of_a_child_that_exited() -> None:
    # A parent that starts a busy child, waits for it (reaping it) and stays alive.
    parent = subprocess.Popen(
        [sys.executable, "-c", f"import subprocess, sys, time\n"
         f"subprocess.run([sys.executable, '-c', {BURN!r}])\ntime.sleep(30)"],
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while (
            psutil.Process(parent.pid).children()
            or not psutil.Process(parent.pid).cpu_times().children_user
        ):
            assert time.monotonic() < deadline, "the child did not run and exit"
            time.sleep(0.1)
        # The child has exited and its parent reaped it: its time stays in the group.
        assert census.snapshot({"group": parent.pid})["group"] >= 0.3
    finally:
        parent.kill()
        parent.wait()


def test_per_need_splits_the_machine_into_the_stack_and_the_rest() -> None:
    before = {"kafka": 1.0, "intake": 2.0, "bench": 0.5, "machine": 10.0}
    after = {"kafka": 1.3, "intake": 2.5, "bench": 0.6, "machine": 12.0}

    figures = census.per_need(before, after, needs=100)

    assert figures == {
        "kafka": 3.0, "intake": 5.0, "bench": 1.0, "machine": 20.0,
        "stack": 9.0, "outside": 11.0,
    }  # fmt: skip
    assert census.per_second(before, after, seconds=2) == {
        "kafka": 150.0, "intake": 250.0, "bench": 50.0, "machine": 1000.0,
    }  # fmt: skip
