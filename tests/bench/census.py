"""Who eats the cores: the CPU seconds of every process group of a bench run over a stretch of
it (issue #22's CPU census), read with psutil.

A group is a root process and every process under it, plus what its exited children used (the
kernel adds a reaped child's time to its parent: PostgreSQL's backends that closed meanwhile stay
counted in the postmaster's). The bench's own process counts alone: the services are its
children too. ``machine`` is every core's busy time (user, system, interrupts), so
``outside`` (machine minus the groups) is what other work on the machine took meanwhile.
"""

import os
from collections.abc import Mapping

import psutil

from tests.stack import KAFKA_DATA, PG_DATA


def stack_roots() -> dict[str, int]:
    """The Kafka broker's and the PostgreSQL server's pids, from their pid files."""
    kafka = int((KAFKA_DATA / "kafka.pid").read_text().split()[0])
    postgres = int((PG_DATA / "data" / "postmaster.pid").read_text().split()[0])
    return {"kafka": kafka, "postgres": postgres}


def _tree_seconds(pid: int) -> float:
    """CPU seconds of ``pid``, its live descendants and its reaped children (0 if it is gone)."""
    try:
        root = psutil.Process(pid)
        own = root.cpu_times()
        total = own.user + own.system + own.children_user + own.children_system
        for child in root.children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.NoSuchProcess:  # exited between the listing and the read
                continue
            total += times.user + times.system
    except psutil.NoSuchProcess:
        return 0.0
    return total


def _busy_seconds() -> float:
    times = psutil.cpu_times()  # guest time is in user already; steal is not this machine's
    return times.user + times.nice + times.system + times.irq + times.softirq


def snapshot(roots: Mapping[str, int]) -> dict[str, float]:
    """CPU seconds so far of each group of ``roots`` (name: root pid), of this process alone
    (``bench``) and of the whole machine (``machine``)."""
    seconds = {name: _tree_seconds(pid) for name, pid in roots.items()}
    own = psutil.Process(os.getpid()).cpu_times()
    return seconds | {"bench": own.user + own.system, "machine": _busy_seconds()}


def per_need(
    before: Mapping[str, float], after: Mapping[str, float], needs: int
) -> dict[str, float]:
    """Milliseconds of CPU per need of each group between two snapshots, with ``stack`` (every
    group and the bench) and ``outside`` (the machine's busy time beyond them)."""
    used = {name: after[name] - before[name] for name in before}
    used["stack"] = sum(value for name, value in used.items() if name != "machine")
    used["outside"] = used["machine"] - used["stack"]
    return {name: round(value * 1000 / needs, 2) for name, value in used.items()}


def per_second(
    before: Mapping[str, float], after: Mapping[str, float], seconds: float
) -> dict[str, float]:
    """Milliseconds of CPU per second of each group between two snapshots (an idle stretch)."""
    return {name: round((after[name] - before[name]) * 1000 / seconds, 1) for name in before}


def load_average() -> float:
    """The machine's one-minute load average."""
    return round(os.getloadavg()[0], 2)
