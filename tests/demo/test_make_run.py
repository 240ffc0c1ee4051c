"""``make run`` end to end: the stack comes up on ports of its own, prints its address and one
login per role, the living demo's suggestions reach every RTC region, and SIGTERM stops it all.

Runs its own Kafka, PostgreSQL and services (state in ``.stack/test-make-run-<port>/``, every
port free-picked), so it meets neither the test stack nor a developer's ``make run``; takes a
minute or two. The venv and node stamps point at fresh files: this test never installs anything.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from shared.taxonomy import places
from tests.ports import free_ports, listening

REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 240
SUGGESTIONS_SECONDS = 120
REGIONS_SQL = """
    SELECT DISTINCT n.rtc_region FROM review_matches m JOIN review_needs n USING (need_id)
"""
# Only what make, the JDK and the scripts need: the test stack's settings must not leak in.
PASSED_ON = ("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR")
pytestmark = pytest.mark.stack  # Kafka and PostgreSQL of its own, not the test stack


@pytest.fixture
def make_vars(tmp_path: Path) -> Iterator[dict[str, str]]:
    names = [
        *("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "PGPORT", "API_PORT", "SMTP_PORT"),
        *("INTAKE_HTTP_PORT", "MATCHER_HTTP_PORT", "NOTIFIER_HTTP_PORT"),
    ]
    stamps = tmp_path / "venv.stamp", tmp_path / "node.stamp"
    for stamp in stamps:
        stamp.touch()
    ports = dict(zip(names, map(str, free_ports(len(names))), strict=True))
    # Not under tmp_path: PostgreSQL runs as an unprivileged user that must reach its data.
    state = REPO / ".stack" / f"test-make-run-{ports['PGPORT']}"
    yield ports | {
        "RUN_DIR": str(state / "run"),
        "KAFKA_DATA": str(state / "kafka"),
        "PGDATA_DIR": str(state / "postgres"),
        "STAMP": str(stamps[0]),
        "NODE_STAMP": str(stamps[1]),
        "DEMO_POSTING_SECONDS": "3",
        "DEMO_DECISION_DELAY_SECONDS": "1",
    }
    shutil.rmtree(state, ignore_errors=True)


@contextlib.contextmanager
def make_run(make_vars: dict[str, str], out: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``make run`` in its own session; stopped with SIGTERM, and ``make down`` after, always."""
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ} | make_vars
    args = [f"{name}={value}" for name, value in make_vars.items()]
    with out.open("wb") as sink:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", *args],
            cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            down = ["make", "--no-print-directory", "down", *args]
            subprocess.run(down, cwd=REPO, env=env, capture_output=True, timeout=120, check=False)


def wait_for(out: Path, text: str, process: subprocess.Popen[bytes], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        printed = out.read_text(errors="replace")
        if text in printed:
            return printed
        assert process.poll() is None, f"make run ended ({process.returncode}):\n{printed[-3000:]}"
        time.sleep(1)
    raise AssertionError(
        f"no {text!r} after {seconds} s:\n{out.read_text(errors='replace')[-3000:]}"
    )


async def regions_with_suggestions(port: str) -> set[str]:
    connection = await asyncpg.connect(f"postgresql://schakel@127.0.0.1:{port}/schakel")
    try:
        return {row[0] for row in await connection.fetch(REGIONS_SQL)}
    finally:
        await connection.close()


def test_make_run_shows_logins_fills_every_region_and_stops_on_sigterm(
    make_vars: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "make-run.out"
    regions = {place.rtc_region for place in places().values()}
    with make_run(make_vars, out) as process:
        printed = wait_for(out, "waiting for suggestions", process, STARTUP_SECONDS)
        for step in ("kafka ready in", "postgresql ready in", "matcher ready in", "ready in"):
            assert step in printed
        assert f"http://127.0.0.1:{make_vars['API_PORT']}/aanmelden" in printed
        for role in ("coordinator", "school", "provider", "admin"):
            assert f"  {role} " in printed
        for region in regions:
            assert f"RTC {region}" in printed
        deadline, found = time.monotonic() + SUGGESTIONS_SECONDS, set[str]()
        while found != regions and time.monotonic() < deadline:
            time.sleep(2)
            found = asyncio.run(regions_with_suggestions(make_vars["PGPORT"]))
        assert found == regions
        wait_for(out, "new posting on", process, SUGGESTIONS_SECONDS)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=90) != 0  # make reports the signal
    printed = out.read_text(errors="replace")
    assert "stopping everything" in printed and "postgres.sh: stopped" in printed
    ports = ("KAFKA_PORT", "PGPORT", "API_PORT", "INTAKE_HTTP_PORT", "MATCHER_HTTP_PORT")
    assert not [name for name in ports if listening(int(make_vars[name]))]
    assert not list(Path(make_vars["RUN_DIR"]).glob("*.pid"))
