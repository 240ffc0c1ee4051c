"""``make bench``: every benchmark, each beside its baseline measured in the same run.

- ``tests.bench.matcher``: scoring one posting against 10k/100k open postings and a full
  re-match, against a naive all-pairs baseline (pure, no broker). bench-results/matcher.json.
- ``tests.bench.intake``: a 10,000-offer upload through real Kafka and PostgreSQL, batched
  against one event per transaction. bench-results/intake.json.
"""

from tests.bench import intake, matcher

matcher.main()
intake.main()
