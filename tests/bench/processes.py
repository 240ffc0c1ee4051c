"""The services as ``make up`` runs them, each its own OS process, and their consumer lag
(the pipeline's and the front door's benchmarks, each on its own ports).

Each service is ``faststream run <app>`` in its own session with the environment of the
Makefile's ``_services`` (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, <SERVICE>_HTTP_PORT), its log in
.stack/bench-logs/. Lag is read from Kafka alone: end offsets minus the group's committed offsets.
"""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.intake.service import CONSUMER as INTAKE
from services.matcher.service import CONSUMER as MATCHER
from services.notifier.handlers import GROUP_ID as NOTIFIER
from shared import topics
from shared.topics import TOPICS
from tests.stack import KAFKA_BOOTSTRAP, REPO, STACK_DIR

BIN = Path(sys.executable).parent
LOGS = STACK_DIR / "bench-logs"
# What each consumer group reads (services/*/handlers.py), in pipeline order.
GROUPS: dict[str, tuple[str, ...]] = {
    INTAKE: (
        topics.NEEDS_SUBMITTED, topics.OFFERS_SUBMITTED,
        topics.NEEDS_WITHDRAWN, topics.OFFERS_WITHDRAWN,
    ),
    MATCHER: (topics.NEEDS_REGISTERED, topics.OFFERS_REGISTERED, topics.MATCHES_REVIEWED),
    NOTIFIER: (
        topics.NEEDS_REGISTERED, topics.OFFERS_REGISTERED, topics.MATCHES_SUGGESTED,
        topics.MATCHES_WITHDRAWN, topics.MATCHES_DECIDED, topics.MATCHES_REVIEWED,
    ),
}  # fmt: skip
UPSTREAM = {INTAKE: (), MATCHER: (INTAKE,), NOTIFIER: (INTAKE, MATCHER)}
# A group counts as drained once its lag has stayed 0 this long (an outbox relay polls every
# 0.2 s, so a zero right after the upstream commit can still grow).
SETTLED_S = 1.0
POLL_S = 0.1  # between two reads of every group's lag


class Service:
    """One service process: started, awaited on /ready, measured, stopped with its group."""

    def __init__(self, name: str, app: str, http_port: int | None, **env: str) -> None:
        self.name, self.http_port = name, http_port
        self._command = [str(BIN / "faststream"), "run", app]
        if app == "aiosmtpd":
            self._command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", env.pop("listen")]
        self._env = {**os.environ, "LOG_LEVEL": "WARNING", **env}
        self._process: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        with (LOGS / f"{self.name}.log").open("ab") as log:
            self._process = subprocess.Popen(
                self._command, cwd=REPO, env=self._env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        self.started = time.perf_counter()

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    async def ready(self, seconds: float = 180) -> float:
        """Seconds from the start until /ready answered 200 (fails if the process exits)."""
        url = f"http://127.0.0.1:{self.http_port}/ready"
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {LOGS / self.name}.log")
            with contextlib.suppress(OSError):
                if await asyncio.to_thread(_status, url) == 200:
                    return time.perf_counter() - self.started
            await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.name}: no /ready after {seconds:.0f} s")

    def peak_rss_mb(self) -> float:
        """The process's peak resident set (VmHWM), in MiB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        return round(int(kib) / 1024, 1)

    def stop(self) -> None:
        """TERM to the process group, KILL after 15 s."""
        if self._process is None or self._process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()


def _status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own localhost)
        return int(response.status)


@dataclass(frozen=True, slots=True)
class Ports:
    """The HTTP ports of the services (each matcher instance its own) and the mail sink's."""

    intake: int
    matchers: tuple[int, ...]
    notifier: int
    smtp: int


def matcher(ports: Ports, instance: int = 0) -> Service:
    """A matcher process; instances share the consumer group and differ in HTTP port."""
    port = ports.matchers[instance]
    return Service(
        f"matcher-{instance}", "services.matcher.app:app", port, MATCHER_HTTP_PORT=str(port)
    )


def pipeline(ports: Ports) -> list[Service]:
    """The mail sink, intake, one matcher and the notifier, in ``make up``'s order and with its
    notifier niceness."""
    return [
        Service("mail", "aiosmtpd", None, listen=f"127.0.0.1:{ports.smtp}"),
        Service("intake", "services.intake.app:app", ports.intake,
                INTAKE_HTTP_PORT=str(ports.intake)),
        matcher(ports),
        Service("notifier", "services.notifier.app:app", ports.notifier,
                NOTIFIER_HTTP_PORT=str(ports.notifier), NOTIFIER_SMTP_HOST="127.0.0.1",
                NOTIFIER_SMTP_PORT=str(ports.smtp), NOTIFIER_NICENESS="10"),
    ]  # fmt: skip


@contextlib.asynccontextmanager
async def running(services: list[Service]) -> AsyncIterator[list[Service]]:
    """Start ``services``, wait for each one's /ready, stop them all on the way out."""
    try:
        for service in services:
            service.start()
        for service in services:
            if service.http_port is not None:
                await service.ready()
        yield services
    finally:
        for service in reversed(services):
            service.stop()


class Lag:
    """Consumer lag of the services' groups, from Kafka's end and committed offsets."""

    def __init__(self) -> None:
        self._reader = AIOKafkaConsumer(bootstrap_servers=KAFKA_BOOTSTRAP)
        self._admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP)
        counts = {spec.name: spec.partitions for spec in TOPICS}
        self._partitions = {
            group: [TopicPartition(t, p) for t in names for p in range(counts[t])]
            for group, names in GROUPS.items()
        }

    async def __aenter__(self) -> "Lag":
        await self._reader.start()
        await self._admin.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._admin.close()
        await self._reader.stop()

    async def of(self, group: str) -> int:
        """Events on the group's topics it has not committed yet."""
        ends = await self._reader.end_offsets(self._partitions[group])
        committed = await self._admin.list_consumer_group_offsets(group)
        return sum(
            max(0, end - (committed[tp].offset if tp in committed else 0))
            for tp, end in ends.items()
        )

    async def committed(self, group: str) -> int:
        """The sum of the group's committed offsets on its topics."""
        offsets = await self._admin.list_consumer_group_offsets(group)
        mine = set(self._partitions[group])
        return sum(meta.offset for tp, meta in offsets.items() if tp in mine)

    async def first_commit(
        self, group: str, before: int, started: float, cap_s: float
    ) -> dict[str, Any]:
        """Seconds from ``started`` until the group committed past ``before`` (its first batch
        done, whatever backlog it has), or that it timed out."""
        while time.perf_counter() - started < cap_s:
            if await self.committed(group) > before:
                return {"seconds": round(time.perf_counter() - started, 2)}
            await asyncio.sleep(0.2)
        return {"timed_out_after_s": cap_s, "lag_left": await self.of(group)}

    async def drained(
        self, started: float, cap_s: float, groups: Collection[str] = tuple(GROUPS)
    ) -> dict[str, dict[str, Any]]:
        """Per group, the seconds from ``started`` (perf_counter) until its lag was 0 for good:
        since then it stayed 0 for ``SETTLED_S``, and so did its upstream groups' (which could
        still hand it work). The figure is the later of its own zero and its upstream ones, so
        no group is charged the time its upstream took to settle. After ``cap_s``, a group
        that did not get there says it timed out and the lag it had left."""
        done: dict[str, dict[str, Any]] = {}
        zero_since: dict[str, float] = {}
        lags: dict[str, int] = {}
        while len(done) < len(groups) and time.perf_counter() - started < cap_s:
            for group in groups:
                if group not in done:
                    lags[group] = await self.of(group)
                    now = time.perf_counter()
                    if lags[group]:
                        zero_since.pop(group, None)
                    else:
                        zero_since.setdefault(group, now)
            now = time.perf_counter()
            for group in groups:
                ups = [group, *(up for up in UPSTREAM[group] if up in groups)]
                if group not in done and all(
                    up in zero_since and now - zero_since[up] >= SETTLED_S for up in ups
                ):
                    done[group] = {"seconds": round(max(zero_since[up] for up in ups) - started, 2)}
            await asyncio.sleep(POLL_S)
        for group in groups:
            if group not in done:
                lag = lags[group] if group in lags else await self.of(group)
                done[group] = {"timed_out_after_s": cap_s, "lag_left": lag}
        return done
