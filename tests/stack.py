"""A dedicated Kafka broker and PostgreSQL for one pytest session, started via deploy/*.sh.

Ports default to Kafka 19092/19093 and PostgreSQL 15432, apart from the development stack of
``make up``, so both can run side by side; ``TEST_KAFKA_PORT``, ``TEST_KAFKA_CONTROLLER_PORT`` and
``TEST_PG_PORT`` move them (two checkouts testing at once). Data lives in ``.stack/test-*`` and is
wiped at start.
Set ``TEST_DATABASE_URL`` to use an existing database instead of the local PostgreSQL.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STACK_DIR = REPO / ".stack"
KAFKA_PORT = int(os.environ.get("TEST_KAFKA_PORT", "19092"))
KAFKA_CONTROLLER_PORT = int(os.environ.get("TEST_KAFKA_CONTROLLER_PORT", "19093"))
PG_PORT = int(os.environ.get("TEST_PG_PORT", "15432"))
# Durability off (deploy/postgres.sh PG_FAST) unless TEST_PG_FAST=0: the pipeline bench runs
# PostgreSQL as ``make up`` does, since every commit's flush is on a need's way to its suggestion.
PG_FAST = os.environ.get("TEST_PG_FAST", "1")
# Per port, so two test sessions of one checkout on different ports keep apart.
KAFKA_DATA = STACK_DIR / f"test-kafka-{KAFKA_PORT}"
PG_DATA = STACK_DIR / f"test-postgres-{PG_PORT}"
KAFKA_BOOTSTRAP = f"127.0.0.1:{KAFKA_PORT}"
LOCAL_DATABASE_URL = f"postgresql+asyncpg://schakel@127.0.0.1:{PG_PORT}/schakel"
START_TIMEOUT_S = 240
# Ports are per machine, so the lock is too: two checkouts must not share a broker.
LOCK_FILE = Path(tempfile.gettempdir()) / f"schakel-test-stack-{KAFKA_PORT}.lock"
LOCK_WAIT_S = 1800

_lock_fd: int | None = None


def _acquire_lock() -> None:
    """One test session at a time per machine: the ports are fixed."""
    global _lock_fd
    if _lock_fd is not None:
        return
    STACK_DIR.mkdir(parents=True, exist_ok=True)
    fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + LOCK_WAIT_S
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if not told:
                print(f"another test session holds {LOCK_FILE}; waiting ...", file=sys.stderr)
                told = True
            if time.monotonic() > deadline:
                os.close(fd)
                raise RuntimeError(f"{LOCK_FILE} still held after {LOCK_WAIT_S}s") from None
            time.sleep(1)
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode())
    _lock_fd = fd


def _release_lock() -> None:
    global _lock_fd
    if _lock_fd is not None:
        fcntl.flock(_lock_fd, fcntl.LOCK_UN)
        os.close(_lock_fd)
        _lock_fd = None


@dataclass(frozen=True, slots=True)
class Stack:
    """Where the tests' broker and database are."""

    kafka_bootstrap: str
    database_url: str


def external_database_url() -> str | None:
    """The database given through TEST_DATABASE_URL, if any."""
    return os.environ.get("TEST_DATABASE_URL") or None


def database_url() -> str:
    """The SQLAlchemy URL of the test database."""
    return external_database_url() or LOCAL_DATABASE_URL


def export_env() -> None:
    """Point settings read from the environment (shared.settings) at the test stack."""
    os.environ["KAFKA_BOOTSTRAP_SERVERS"] = KAFKA_BOOTSTRAP
    os.environ["DATABASE_URL"] = database_url()
    # A random key per test session: the API refuses the development key outside local mode.
    os.environ.setdefault("API_SECRET_KEY", secrets.token_urlsafe(48))
    # Services log a line per event at INFO; tests that look at logs set their own level.
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def _kafka_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        KAFKA_PORT=str(KAFKA_PORT),
        KAFKA_CONTROLLER_PORT=str(KAFKA_CONTROLLER_PORT),
        KAFKA_DATA=str(KAFKA_DATA),
    )
    return env


def _pg_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # deploy/postgres.sh does nothing when DATABASE_URL is set
    env.update(PGPORT=str(PG_PORT), PGDATA_DIR=str(PG_DATA), PG_FAST=PG_FAST)
    return env


def script(name: str, action: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["bash", str(REPO / "deploy" / name), action],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(procs: dict[str, subprocess.Popen[str]], timeout: float) -> list[str]:
    """Wait for all; return an error text per failed script."""
    errors = []
    deadline = time.monotonic() + timeout
    for name, proc in procs.items():
        try:
            out, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            errors.append(f"{name}: timed out after {timeout:.0f}s\n{out}")
            continue
        if proc.returncode != 0:
            errors.append(f"{name}: exit code {proc.returncode}\n{out}")
    return errors


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def prepare(stack: Stack) -> None:
    """Create the topics on the broker and migrate the database of ``stack``."""
    env = dict(
        os.environ, KAFKA_BOOTSTRAP_SERVERS=stack.kafka_bootstrap, DATABASE_URL=stack.database_url
    )
    _run(
        [sys.executable, "-m", "shared.topics", "--bootstrap", stack.kafka_bootstrap], env, "topics"
    )
    if (REPO / "deploy" / "alembic.ini").exists():
        _run(
            [sys.executable, "-m", "alembic", "-c", "deploy/alembic.ini", "upgrade", "head"],
            env,
            "alembic upgrade head",
        )


def stop_stack() -> None:
    """Stop the test broker and the local test database (both, even if one fails)."""
    procs = {"kafka.sh stop": script("kafka.sh", "stop", _kafka_env())}
    if external_database_url() is None:
        procs["postgres.sh stop"] = script("postgres.sh", "stop", _pg_env())
    errors = finish(procs, timeout=90)
    if errors:
        raise RuntimeError("stopping the test stack failed:\n" + "\n".join(errors))


def release() -> None:
    """Stop the stack and let the next waiting test session go."""
    if _lock_fd is None:  # never got the lock: the stack running now belongs to another session
        return
    try:
        stop_stack()
    finally:
        _release_lock()


def start_stack() -> Stack:
    """Start a fresh broker and database (in parallel), create topics, migrate, export env."""
    _acquire_lock()
    own_db = external_database_url() is None
    # A session killed hard may have left servers running on these ports: stop them, then wipe.
    with contextlib.suppress(RuntimeError):
        stop_stack()
    shutil.rmtree(KAFKA_DATA, ignore_errors=True)
    if own_db:
        shutil.rmtree(PG_DATA, ignore_errors=True)

    procs = {"kafka.sh start": script("kafka.sh", "start", _kafka_env())}
    if own_db:
        procs["postgres.sh start"] = script("postgres.sh", "start", _pg_env())
    errors = finish(procs, timeout=START_TIMEOUT_S)
    if errors:
        raise RuntimeError("starting the test stack failed:\n" + "\n".join(errors))

    stack = Stack(kafka_bootstrap=KAFKA_BOOTSTRAP, database_url=database_url())
    prepare(stack)
    os.environ["KAFKA_BOOTSTRAP_SERVERS"] = stack.kafka_bootstrap
    os.environ["DATABASE_URL"] = stack.database_url
    return stack
