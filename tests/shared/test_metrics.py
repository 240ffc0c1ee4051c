"""Gauges several owners set in one process (the services' consumers run in-process together in
the tests and in CLI tools): each owner's values stay beside the others'."""

from prometheus_client import CollectorRegistry, Gauge

from shared.metrics import OwnLabels


def values(gauge: Gauge, registry: CollectorRegistry) -> dict[tuple[str, ...], float]:
    """The gauge's labelled values, by label values."""
    return {
        tuple(sample.labels.values()): sample.value
        for metric in registry.collect()
        for sample in metric.samples
        if sample.name == "lag"
    }


def test_one_owner_replacing_its_values_keeps_the_others_and_drops_only_its_own_stale_ones() -> (
    None
):
    registry = CollectorRegistry()
    lag = Gauge("lag", "records behind", ["group", "partition"], registry=registry)
    intake, matcher = OwnLabels(lag), OwnLabels(lag)
    intake.replace([(("intake", "0"), 3), (("intake", "1"), 0)])
    matcher.replace([(("matcher", "0"), 7)])
    assert values(lag, registry) == {("intake", "0"): 3, ("intake", "1"): 0, ("matcher", "0"): 7}

    intake.replace([(("intake", "1"), 2)])  # partition 0 went elsewhere
    assert values(lag, registry) == {("intake", "1"): 2, ("matcher", "0"): 7}

    matcher.replace([])
    intake.replace([(("intake", "1"), 0)])
    assert values(lag, registry) == {("intake", "1"): 0}
