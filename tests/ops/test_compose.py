"""docker-compose.yml starts the same services as ``make up``, with settings they know."""

import re
from pathlib import Path
from typing import Any

import yaml

from tests.ops.known import REQUIRED, env_names

REPO = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    """The compose file's services."""
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return dict(loaded["services"])


def app_of(command: list[str]) -> str | None:
    """The Schakel app a container command runs."""
    if command[:2] == ["faststream", "run"]:
        return command[2]
    return command[1] if command[0] == "uvicorn" else None


def make_apps() -> set[str]:
    """The apps ``make up`` starts: SERVICES and API_APP of the Makefile."""
    makefile = (REPO / "Makefile").read_text()
    services = re.search(r"^SERVICES \?= (.+)$", makefile, re.M)
    api = re.search(r"^API_APP  \?= (.+)$", makefile, re.M)
    assert services and api
    return {*services[1].split(), api[1].strip()}


def test_compose_runs_the_apps_make_up_starts() -> None:
    apps = {app_of(service["command"]) for service in compose().values() if "command" in service}
    assert apps - {None} == make_apps()


def test_every_compose_setting_is_one_the_service_reads() -> None:
    for name, service in compose().items():
        app = app_of(service.get("command", ["-"]))
        if app is None:
            continue
        given = set(service["environment"])
        assert given <= env_names(app), f"{name}: unknown settings {given - env_names(app)}"
        assert given >= REQUIRED, f"{name}: missing {REQUIRED - given}"


def test_the_model_signing_key_is_required_and_reaches_the_matcher_only() -> None:
    holders = {n for n, s in compose().items() if "MODEL_SIGNING_KEY" in s.get("environment", {})}
    assert holders == {"matcher"}
    assert compose()["matcher"]["environment"]["MODEL_SIGNING_KEY"].startswith(
        "${MODEL_SIGNING_KEY:?"
    )


def test_compose_gives_the_settings_make_up_exports() -> None:
    makefile = (REPO / "Makefile").read_text()
    exported = {n for line in re.findall(r"^export (.+)$", makefile, re.M) for n in line.split()}
    notifier = set(compose()["notifier"]["environment"])
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "NOTIFIER_SMTP_HOST"):
        assert name in exported and name in notifier


def test_compose_requires_an_api_secret_key_of_ones_own() -> None:
    given = compose()["api"]["environment"]["API_SECRET_KEY"]
    assert re.fullmatch(r"\$\{API_SECRET_KEY:\?[^}]+\}", given), given  # no fallback value


def test_prometheus_scrapes_every_service() -> None:
    config = yaml.safe_load((REPO / "deploy/prometheus.yml").read_text())
    targets = {
        t for job in config["scrape_configs"] for s in job["static_configs"] for t in s["targets"]
    }
    assert targets == {"intake:8001", "matcher:8002", "notifier:8003", "api:8000"}
