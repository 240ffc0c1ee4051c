"""A Kafka broker, a PostgreSQL and the services as OS processes, all on free ports, for tests
that kill them: never the session stack of tests/stack.py.

State lives in ``.stack/test-faults-<pg port>/`` (PostgreSQL runs as an unprivileged user that
must reach it), each service logs to ``<state>/run/<name>.log``, and the mail sink (aiosmtpd, as
``make up`` starts it) prints every mail to ``<state>/run/mail.log``.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.ports import free_ports, listening
from tests.stack import REPO, Stack, finish, prepare, script

READY_SECONDS = 240
INFRA_SECONDS = 240
# Only what the JDK, PostgreSQL and the services need: the session stack's settings stay out.
PASSED_ON = ("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR", "PYTHONPATH")
APPS = {
    "intake": "services.intake.app:app",
    "matcher": "services.matcher.app:app",
    "notifier": "services.notifier.app:app",
}
PORT_VARIABLES = {
    "intake": "INTAKE_HTTP_PORT",
    "matcher": "MATCHER_HTTP_PORT",
    "notifier": "NOTIFIER_HTTP_PORT",
}


@dataclass(frozen=True, slots=True)
class Service:
    """One running service process: its app (intake, matcher, notifier) and /ready port."""

    name: str
    app: str
    port: int
    process: subprocess.Popen[bytes]


@dataclass
class Cluster:
    """Kafka, PostgreSQL, a mail sink and the services, each started and stopped on demand."""

    state: Path
    kafka_port: int
    controller_port: int
    pg_port: int
    smtp_port: int
    services: dict[str, Service] = field(default_factory=dict)
    mail_sink: subprocess.Popen[bytes] | None = None

    @classmethod
    def on_free_ports(cls) -> "Cluster":
        kafka, controller, pg, smtp = free_ports(4)
        return cls(REPO / ".stack" / f"test-faults-{pg}", kafka, controller, pg, smtp)

    @property
    def stack(self) -> Stack:
        return Stack(
            kafka_bootstrap=f"127.0.0.1:{self.kafka_port}",
            database_url=f"postgresql+asyncpg://schakel@127.0.0.1:{self.pg_port}/schakel",
        )

    @property
    def logs(self) -> Path:
        return self.state / "run"

    def _base_env(self) -> dict[str, str]:
        return {name: os.environ[name] for name in PASSED_ON if name in os.environ}

    def _kafka_env(self) -> dict[str, str]:
        return self._base_env() | {
            "KAFKA_PORT": str(self.kafka_port),
            "KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "KAFKA_DATA": str(self.state / "kafka"),
            # A broker restarted after SIGKILL recovers its logs first; the machine may be busy.
            "KAFKA_START_TIMEOUT": str(INFRA_SECONDS - 30),
        }

    def _pg_env(self) -> dict[str, str]:
        return self._base_env() | {
            "PGPORT": str(self.pg_port),
            "PGDATA_DIR": str(self.state / "postgres"),
            "PG_FAST": "1",
        }

    def _scripts(self, action: str, *names: str) -> None:
        envs = {"kafka.sh": self._kafka_env(), "postgres.sh": self._pg_env()}
        procs = {f"{name} {action}": script(name, action, envs[name]) for name in names}
        errors = finish(procs, timeout=INFRA_SECONDS)
        if errors:
            raise RuntimeError("\n".join(errors))

    def start_infra(self) -> None:
        """Fresh broker and database (in parallel), topics, migrations, the mail sink."""
        shutil.rmtree(self.state, ignore_errors=True)
        self.logs.mkdir(parents=True)
        self._scripts("start", "kafka.sh", "postgres.sh")
        prepare(self.stack)
        self.mail_sink = self._spawn(
            "mail",
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.smtp_port}"],
            self._base_env() | {"PYTHONUNBUFFERED": "1"},
        )

    def start_kafka(self) -> None:
        self._scripts("start", "kafka.sh")

    def kill_kafka(self) -> None:
        """SIGKILL the broker, as a crash would; its data stays for the restart."""
        pid = int((self.state / "kafka" / "kafka.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while listening(self.kafka_port) and time.monotonic() < deadline:
            time.sleep(0.2)

    def start_postgres(self) -> None:
        self._scripts("start", "postgres.sh")

    def stop_postgres(self) -> None:
        self._scripts("stop", "postgres.sh")

    def service_env(self, name: str, port: int) -> dict[str, str]:
        """The environment ``make up`` gives a service, pointed at this cluster."""
        app = name.split("-")[0]
        return self._base_env() | {
            "PYTHONPATH": str(REPO),
            "DATABASE_URL": self.stack.database_url,
            "KAFKA_BOOTSTRAP_SERVERS": self.stack.kafka_bootstrap,
            PORT_VARIABLES[app]: str(port),
            "NOTIFIER_SMTP_HOST": "127.0.0.1",
            "NOTIFIER_SMTP_PORT": str(self.smtp_port),
            "SCHAKEL_MAIL_SINK": "1",
            # Failed mail is retried within seconds; digests and reminders stay out of the way.
            "NOTIFIER_RETRY_BASE_SECONDS": "1",
            "NOTIFIER_RETRY_MAX_SECONDS": "5",
            "NOTIFIER_PERIODIC_SECONDS": "1000000",
            "LOG_LEVEL": "INFO",
        }

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("ab") as log:
            return subprocess.Popen(
                args, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip

    async def start(self, name: str) -> Service:
        """Start service ``name`` (``matcher-2``: a second matcher) and wait for its /ready."""
        port = self.services[name].port if name in self.services else free_ports(1)[0]
        args = [str(REPO / ".venv" / "bin" / "faststream"), "run", APPS[name.split("-")[0]]]
        process = self._spawn(name, args, self.service_env(name, port))
        service = self.services[name] = Service(name, args[-1], port, process)
        await self._ready(service)
        return service

    async def _ready(self, service: Service) -> None:
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                if service.process.poll() is not None:
                    raise AssertionError(f"{service.name} exited:\n{self.tail(service.name)}")
                with contextlib.suppress(httpx.HTTPError):
                    answer = await client.get(f"http://127.0.0.1:{service.port}/ready")
                    if answer.status_code == 200:
                        return
                await asyncio.sleep(0.5)
        raise AssertionError(
            f"{service.name}: no /ready in {READY_SECONDS} s:\n{self.tail(service.name)}"
        )

    def kill(self, name: str) -> None:
        """SIGKILL service ``name`` (its whole session) and wait until it is gone."""
        process = self.services[name].process
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self, name: str) -> None:
        """SIGTERM service ``name``; SIGKILL if it has not exited after 30 s."""
        service = self.services.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(service.process.pid, signal.SIGTERM)
        try:
            service.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()

    def dead(self) -> dict[str, str]:
        """The services that exited, with the last lines of their logs."""
        return {
            name: self.tail(name)
            for name, service in self.services.items()
            if service.process.poll() is not None
        }

    def tail(self, name: str, lines: int = 40) -> str:
        text = (self.logs / f"{name}.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def shut_down(self) -> None:
        """Stop every process and free every port, whatever state the tests left them in; the
        services' and the mail sink's logs stay in ``<state>/run``."""
        for name in list(self.services):
            self.stop(name)
        if self.mail_sink is not None:
            self.mail_sink.terminate()
            self.mail_sink.wait(timeout=30)
        with contextlib.suppress(RuntimeError):
            self._scripts("stop", "kafka.sh", "postgres.sh")
        for data in ("kafka", "postgres"):  # the logs stay, to read after a failure
            shutil.rmtree(self.state / data, ignore_errors=True)


@contextlib.contextmanager
def cluster_on_free_ports() -> Iterator[Cluster]:
    """A started broker, database and mail sink; everything stopped afterwards, also on failure."""
    cluster = Cluster.on_free_ports()
    try:
        cluster.start_infra()
        yield cluster
    finally:
        cluster.shut_down()
