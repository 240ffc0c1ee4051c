"""``make bench`` imports every in-process benchmark: a rename in the services that a
benchmark still names breaks the operator's benchmark run (the benchmarks are outside mypy)."""

import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "matcher",
        "intake",
        "notifier",
        "allocation",
        "learning",
        "exposure",
        "front_door",
        "catalogue",
        "api_workers",
        "round_trips",
        "intake_batch",
        "matcher_batches",
    ],
)
def test_each_benchmark_module_imports_and_has_a_main(name: str) -> None:
    module = importlib.import_module(f"tests.bench.{name}")
    assert callable(module.main)
