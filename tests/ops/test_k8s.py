"""The Kubernetes manifests (deploy/k8s): rendered per overlay with ``kubectl kustomize`` when it is
installed, else the base loaded with PyYAML; every container probed and bounded, every setting a
service needs supplied, the topics those of shared/topics.py."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.intake.settings import IntakeSettings
from services.matcher.settings import MatcherSettings
from services.notifier.settings import NotifierSettings
from shared.topics import TOPICS
from tests.ops.known import REQUIRED, env_names

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KUBECTL = shutil.which("kubectl")
OVERLAYS = ("dev", "prod") if KUBECTL else ("base",)
PORTS = {
    "intake": IntakeSettings().http_port,
    "matcher": MatcherSettings().http_port,
    "notifier": NotifierSettings().http_port,
    "api": 8000,
}


def render(overlay: str) -> list[dict[str, Any]]:
    """The manifests of ``overlay`` (``base``: the base files as they are)."""
    if overlay == "base":
        files = (K8S / "base").glob("*.yaml")
        docs = [
            d
            for f in files
            if f.name != "kustomization.yaml"
            for d in yaml.safe_load_all(f.read_text())
        ]
    else:
        assert KUBECTL
        target = str(K8S / "overlays" / overlay)
        out = subprocess.run(
            [KUBECTL, "kustomize", target], check=True, capture_output=True, text=True
        )
        docs = list(yaml.safe_load_all(out.stdout))
    return [doc for doc in docs if doc]


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """The resources of one kind by name."""
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The containers of a Deployment or Job."""
    return list(doc["spec"]["template"]["spec"]["containers"])


def app_of(container: dict[str, Any]) -> str:
    """The Schakel app a container runs."""
    command = container["command"]
    return str(command[2] if command[0] == "faststream" else command[1])


@pytest.fixture(scope="module", params=OVERLAYS)
def docs(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render(request.param)


def test_every_service_has_a_deployment_with_probes_on_its_port(docs: list[dict[str, Any]]) -> None:
    deployments = of_kind(docs, "Deployment")
    assert set(deployments) == set(PORTS)
    for name, deployment in deployments.items():
        (container,) = containers(deployment)
        assert container["ports"][0]["containerPort"] == PORTS[name]
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"


def test_every_container_has_requests_and_limits(docs: list[dict[str, Any]]) -> None:
    for kind in ("Deployment", "Job"):
        for doc in of_kind(docs, kind).values():
            for container in containers(doc):
                assert {"cpu", "memory"} <= set(container["resources"]["requests"])
                assert {"cpu", "memory"} <= set(container["resources"]["limits"])


def test_disruption_budgets_and_the_api_autoscaler(docs: list[dict[str, Any]]) -> None:
    assert set(of_kind(docs, "PodDisruptionBudget")) == set(PORTS)
    (hpa,) = of_kind(docs, "HorizontalPodAutoscaler").values()
    assert hpa["spec"]["scaleTargetRef"]["name"] == "api"
    assert set(of_kind(docs, "Job")) == {"schakel-topics", "schakel-migrate"}


def test_the_config_supplies_what_the_services_read(docs: list[dict[str, Any]]) -> None:
    config = of_kind(docs, "ConfigMap")["schakel-config"]["data"]
    secret = of_kind(docs, "Secret")["schakel-secrets"]
    supplied = set(config) | set(secret.get("stringData", {})) | set(secret.get("data", {}))
    read: set[str] = set()
    for deployment in of_kind(docs, "Deployment").values():
        (container,) = containers(deployment)
        refs = {
            ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in container["envFrom"]
        }
        assert refs == {"schakel-config", "schakel-secrets"}
        read |= env_names(app_of(container))
    assert supplied >= REQUIRED
    assert supplied <= read, f"settings no service reads: {supplied - read}"
    assert not {"DATABASE_URL", "API_SECRET_KEY", "NOTIFIER_SMTP_PASSWORD"} & set(config)


def test_the_api_key_comes_from_a_secret_the_manifests_do_not_ship(
    docs: list[dict[str, Any]],
) -> None:
    (container,) = containers(of_kind(docs, "Deployment")["api"])
    (key,) = [entry for entry in container["env"] if entry["name"] == "API_SECRET_KEY"]
    reference = key["valueFrom"]["secretKeyRef"]
    assert reference["optional"] is False  # no Secret, no pod: never a default key
    secrets = of_kind(docs, "Secret")
    assert reference["name"] not in secrets
    for secret in secrets.values():
        assert "API_SECRET_KEY" not in {**secret.get("stringData", {}), **secret.get("data", {})}


def test_the_model_signing_key_reaches_the_matcher_only(docs: list[dict[str, Any]]) -> None:
    for secret in of_kind(docs, "Secret").values():  # never a shipped value that would work
        assert "MODEL_SIGNING_KEY" not in {**secret.get("stringData", {}), **secret.get("data", {})}
    holders = {
        name
        for name, deployment in of_kind(docs, "Deployment").items()
        for env in containers(deployment)[0].get("env", [])
        if env.get("valueFrom", {}).get("secretKeyRef", {}).get("name") == "schakel-model-signing"
    }
    assert holders == {"matcher"}


def test_kafka_topics_are_the_ones_of_shared_topics(docs: list[dict[str, Any]]) -> None:
    declared = {
        (doc["spec"]["topicName"], doc["spec"]["partitions"], doc["spec"]["replicas"])
        for doc in of_kind(docs, "KafkaTopic").values()
    }
    assert declared == {(topic.name, topic.partitions, 3) for topic in TOPICS}
    assert of_kind(docs, "KafkaNodePool")["dual-role"]["spec"]["replicas"] == 3
    assert "schakel-db" in of_kind(docs, "Cluster")
