"""The pipeline benchmark (issue #13), run by ``python -m tests.bench.pipeline``; its own ports.

Importing any module of this package sets them before ``tests.stack`` reads them: Kafka
19492/19493 and PostgreSQL 15832, apart from ``make up`` (9092, 5432) and the test sessions
(19092-19392, 15432-15732). ``BENCH_KAFKA_PORT``, ``BENCH_KAFKA_CONTROLLER_PORT`` and
``BENCH_PG_PORT`` move them; the services' HTTP ports are 18401-18409 (``BENCH_HTTP_PORT`` moves
the first, the others follow it). PostgreSQL flushes every
commit as under ``make up`` (the tests' stack does not); ``BENCH_PG_FAST=1`` turns that off.
"""

import os
import sys

os.environ["TEST_KAFKA_PORT"] = os.environ.get("BENCH_KAFKA_PORT", "19492")
os.environ["TEST_KAFKA_CONTROLLER_PORT"] = os.environ.get("BENCH_KAFKA_CONTROLLER_PORT", "19493")
os.environ["TEST_PG_PORT"] = os.environ.get("BENCH_PG_PORT", "15832")
os.environ["TEST_PG_FAST"] = os.environ.get("BENCH_PG_FAST", "0")  # durable, as ``make up``

_HTTP = int(os.environ.get("BENCH_HTTP_PORT", "18401"))
INTAKE_HTTP_PORT = _HTTP
MATCHER_HTTP_PORTS = (_HTTP + 1, _HTTP + 3)  # a second matcher instance gets the second
NOTIFIER_HTTP_PORT = _HTTP + 2
SMTP_PORT = _HTTP + 8
QUICK = os.environ.get("BENCH_QUICK") == "1"

if (
    "tests.stack" in sys.modules
    and int(os.environ["TEST_KAFKA_PORT"]) != sys.modules["tests.stack"].KAFKA_PORT
):
    raise RuntimeError("tests.stack was imported before tests.bench.pipeline: run it on its own")
