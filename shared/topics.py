"""Every Kafka topic of Schakel in one place, and a command that creates them.

Run ``python -m shared.topics --bootstrap localhost:9092``; existing topics are left as they are.
"""

import argparse
import asyncio
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.contracts.identity import Side
from shared.taxonomy import kind_group, kind_groups

NEEDS_SUBMITTED = "needs.submitted"
OFFERS_SUBMITTED = "offers.submitted"
NEEDS_WITHDRAWN = "needs.withdrawn"
OFFERS_WITHDRAWN = "offers.withdrawn"
POSTINGS_REJECTED = "postings.rejected"
POSTINGS_DLQ = "postings.dlq"
# Records of internal topics the matcher or notifier could not apply (shared.dead_letters).
INTERNAL_DLQ = "internal.dlq"
NEEDS_REGISTERED = "needs.registered"
OFFERS_REGISTERED = "offers.registered"
MATCHES_SUGGESTED = "matches.suggested"
MATCHES_WITHDRAWN = "matches.withdrawn"
MATCHES_DECIDED = "matches.decided"
MATCHES_REVIEWED = "matches.reviewed"
# The topics of each side's postings.
SUBMITTED: dict[Side, str] = {"need": NEEDS_SUBMITTED, "offer": OFFERS_SUBMITTED}
WITHDRAWN: dict[Side, str] = {"need": NEEDS_WITHDRAWN, "offer": OFFERS_WITHDRAWN}
REGISTERED: dict[Side, str] = {"need": NEEDS_REGISTERED, "offer": OFFERS_REGISTERED}


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """A topic and its partition count (key = posting id, so one posting stays in order)."""

    name: str
    partitions: int


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(NEEDS_SUBMITTED, 6),
    TopicSpec(OFFERS_SUBMITTED, 6),
    TopicSpec(NEEDS_WITHDRAWN, 6),
    TopicSpec(OFFERS_WITHDRAWN, 6),
    TopicSpec(POSTINGS_REJECTED, 3),
    TopicSpec(POSTINGS_DLQ, 3),
    TopicSpec(INTERNAL_DLQ, 3),
    TopicSpec(NEEDS_REGISTERED, 6),
    TopicSpec(OFFERS_REGISTERED, 6),
    TopicSpec(MATCHES_SUGGESTED, 6),
    TopicSpec(MATCHES_WITHDRAWN, 6),
    TopicSpec(MATCHES_DECIDED, 6),
    TopicSpec(MATCHES_REVIEWED, 6),
)


# What the matcher consumes: each event travels on the partition of its kind group
# (``kind_partition``), so the matcher instance that holds a partition holds whole groups.
BY_KIND_GROUP = (NEEDS_REGISTERED, OFFERS_REGISTERED, MATCHES_REVIEWED)


def kind_partition(kind: str) -> int:
    """The partition of ``BY_KIND_GROUP`` topics that events of a posting or pair of ``kind``
    travel on: one per kind group, in name order (wrapping round if the topics have fewer
    partitions than there are groups). The key stays the posting's or the match's id."""
    partitions = min(spec.partitions for spec in TOPICS if spec.name in BY_KIND_GROUP)
    return kind_groups().index(kind_group(kind)) % partitions


async def ensure_topics(bootstrap_servers: str, replication_factor: int = 1) -> list[str]:
    """Create the topics that do not exist yet; return the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for spec in TOPICS if spec.name not in existing]
        if missing:
            await admin.create_topics(
                [NewTopic(spec.name, spec.partitions, replication_factor) for spec in missing]
            )
        return [spec.name for spec in missing]
    finally:
        await admin.close()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", default="localhost:9092")
    parser.add_argument("--replication-factor", type=int, default=1)
    args = parser.parse_args()
    created = asyncio.run(ensure_topics(args.bootstrap, args.replication_factor))
    print(f"topics created: {', '.join(created) or 'none (all present)'}")


if __name__ == "__main__":
    main()
