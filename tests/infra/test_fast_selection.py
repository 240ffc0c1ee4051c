"""``make test-fast`` (``pytest -m "not stack"``) leaves out each test that needs Kafka or
PostgreSQL, whether it asks for the test stack through its fixtures or runs a stack of its own,
and keeps the pure tests, also those that share a module with a stack test."""

import subprocess
import sys

from tests.stack import REPO

NEEDS_THE_STACK = (
    "tests/learning/test_pickup.py::",
    "tests/infra/test_stack.py::",
    "tests/api/test_secret_key.py::test_the_app_does_not_start_with_the_development_key",
    "tests/faults/test_faults.py::",
    "tests/demo/test_make_run.py::",
)
PURE = (
    "tests/review/test_rules.py::",
    "tests/contracts/test_contracts.py::",
    "tests/api/test_secret_key.py::test_a_long_random_key_is_accepted",
)


def fast_tests() -> list[str]:
    """The node ids ``pytest -m "not stack"`` collects from the modules named above."""
    modules = {test.split("::")[0] for test in NEEDS_THE_STACK + PURE}
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"]
    run = subprocess.run(
        [*command, "-m", "not stack", *sorted(modules)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in run.stdout.splitlines() if "::" in line]


def test_the_fast_tests_are_the_pure_ones() -> None:
    fast = fast_tests()
    for left_out in NEEDS_THE_STACK:
        assert not [test for test in fast if test.startswith(left_out)], left_out
    for kept in PURE:
        assert [test for test in fast if test.startswith(kept)], kept
