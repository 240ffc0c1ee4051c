"""``make bench``: every benchmark, each beside its baseline measured in the same run.

- ``tests.bench.matcher``: scoring one posting against 10k/100k open postings and a full
  re-match, against a naive all-pairs baseline (pure, no broker). bench-results/matcher.json.
- ``tests.bench.matcher_quality``: top-1, nDCG@5 and rule violations on the team's teacher-text
  cases and two unseen case sets, in both arrival orders, for the matcher of a git baseline
  (``QUALITY_BASELINE``, default main before issue 27's second round: before) and of this
  tree (after), and one need against 100,000 offers both ways.
  bench-results/matcher_quality.json.
- ``tests.bench.intake``: a 10,000-offer upload through real Kafka and PostgreSQL, batched
  against one event per transaction. bench-results/intake.json.
- ``tests.bench.notifier``: a burst of 5,000 matches.suggested through real Kafka and
  PostgreSQL, batched against one event per transaction. bench-results/notifier.json.
- ``tests.bench.allocation``: an allocation round for 5,000 needs x 10,000 offers against greedy
  top-1, the solver alone and ``propose`` on PostgreSQL. bench-results/allocation.json.
- ``tests.bench.learning``: training the learned ranking on 100,000 decisions against the
  hand-set weights' evaluation and a logistic regression, with held-out figures, and the
  simulated coordinator's figures. bench-results/learning.json.
- ``tests.bench.exposure``: the publishing gate with simulated coordinators (follow the weights,
  coin flip, own preferences) reviewing top-down with stopping and deciding every pair, against
  the old gate on the same decisions, with the true top-1 on later weeks.
  bench-results/exposure.json.
- ``tests.bench.pipeline``: the services as separate processes on their own Kafka and PostgreSQL
  ports, against raw Kafka and PostgreSQL in the same run: sustained throughput, first-suggestion
  latency on 100,000 open offers by stage, a burst, the matcher's start-up, one and two matchers.
  bench-results/pipeline.json (``python -m tests.bench.pipeline latency``: the latency alone,
  bench-results/latency.json).
  Its own process, since its ports must be set before ``tests.stack`` is imported.
- ``tests.bench.front_door``: every page and list people use on the SPEC's scale (50,000 needs,
  100,000 offers, 250,000 suggestions, filled through Kafka and the running services, 5,000
  decisions over HTTP; the fill's own timings beside the figures): the queue with its filters
  and sorts, the poll, the dashboards, the catalogue, the school's and provider's pages, the
  inboxes, one user and twenty at once, against the cost before #22's work, with
  ``GET /health`` as the floor.
  bench-results/front_door.json.
- ``tests.bench.api_workers``: the API as ``make up`` runs it, one uvicorn worker against two,
  over real HTTP on the same world. bench-results/api_workers.json.
- ``tests.bench.catalogue``: the public catalogue's search and pages on 100,000 offers, first
  and last page, one user and twenty at once, against the same search without its indexes,
  exact totals and numbered pages. bench-results/catalogue.json.
- ``tests.bench.round_trips``: round trips to PostgreSQL per need at each stage of the
  pipeline (intake, its relay, the matcher, its relay), counted by a proxy in front of the
  database. bench-results/round_trips.json.
- ``tests.bench.intake_batch``: intake's fixed cost per batch (of 1 and of 8 needs) and of the
  relay round after it: its CPU, PostgreSQL's, statements and round trips.
  bench-results/intake_batch.json.
"""

import subprocess
import sys

from tests.bench import (
    allocation,
    api_workers,
    catalogue,
    exposure,
    front_door,
    intake,
    intake_batch,
    learning,
    matcher,
    matcher_quality,
    notifier,
    round_trips,
)

matcher.main()
matcher_quality.main()
intake.main()
notifier.main()
allocation.main()
learning.main()
exposure.main()
front_door.main()
catalogue.main()
api_workers.main()
round_trips.main()
intake_batch.main()
subprocess.run([sys.executable, "-m", "tests.bench.pipeline"], check=True)
