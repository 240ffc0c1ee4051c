"""The ledger of one fault run: every event produced, and what the database, the output topics
and the mail sink hold afterwards, counted as lost, applied twice and duplicate mails.

A posting's expected state is the last event sent for it; intake's ``version`` counts the events
it applied, so a version above the events sent means one was applied twice, and a missing row,
another status or field, or a lower version means one was lost. Downstream, the matcher's and the
review's copies must carry intake's version, and the review's match statuses the matcher's.
Decisions must each end as the match's decision or a refusal on ``postings.rejected``; what a
need was given must be what its accepted matches took, and the matcher must see each offer as
used as the review does (capacity in time: the units in use on its freest day). Poison must end on
``postings.dlq`` or ``postings.rejected``, once.
"""

import asyncio
import contextlib
import json
import random
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_string
from email.policy import default
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from shared import topics
from tests.builders import need_event, offer_event
from tests.kafka_io import as_json, history

POSTAL_CODES = ("3500", "3600", "3590", "3800")  # Limburg: one coordinator hears of them all
DECISION_SECONDS = 600
# The matcher's status of a suggestion as the review calls it.
SAME = {"suggested": "open", "withdrawn": "withdrawn"}
Sent = tuple[str, str, bytes]  # topic, key, value


@dataclass(frozen=True, slots=True)
class Size:
    """How many events of each sort one stream carries."""

    needs: int
    offers: int
    changed: int
    withdrawn: int
    decisions: int
    seconds: float  # over how long the postings are sent


@dataclass
class Expected:
    """What the last event sent for a posting says, and how many were sent."""

    side: str
    status: str = "open"
    field: str = "auto"
    events: int = 0


@dataclass
class Report:
    """The ledger against what the system holds: counts, and the problems found (empty: none)."""

    counts: Counter[str] = field(default_factory=Counter)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def problem(self, kind: str, detail: str) -> None:
        self.problems.setdefault(kind, []).append(detail)

    def __str__(self) -> str:
        lines = [f"counts: {dict(self.counts)}"]
        lines += [f"{kind} ({len(found)}): {found[:10]}" for kind, found in self.problems.items()]
        return "\n".join(lines)


DECIDED_BY = "faults@rtc.example"  # an admin: outside decisions are taken only from reviewers
_DECIDING_ADMIN = """
WITH admin AS (
    INSERT INTO organisations (kind, name) SELECT 'admin', 'Fault suite'
    WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = $1) RETURNING id
)
INSERT INTO users (email, name, password_hash, role, organisation_id)
SELECT $1, 'Fault suite', '!', 'admin', id FROM admin
"""


def _period(start_in: int, days: int) -> dict[str, str]:
    start = datetime.now(UTC).date() + timedelta(days=start_in)
    return {"start": start.isoformat(), "end": (start + timedelta(days=days)).isoformat()}


def poison(run: str) -> list[Sent]:
    """Bad input of every sort, each under a key of its own: not JSON, JSON but no object,
    objects that are no valid event, and one event above intake's 1 MB limit."""
    bad: list[Sent] = [
        (topics.NEEDS_SUBMITTED, "not-json", b"\xff\xfe not json at all"),
        (topics.OFFERS_SUBMITTED, "truncated", b'{"event_id": "'),
        (topics.NEEDS_SUBMITTED, "array", b'["a", "list"]'),
        (topics.OFFERS_WITHDRAWN, "number", b"42"),
        (
            topics.NEEDS_SUBMITTED,
            "invalid",
            as_json(need_event(need_id=f"flt-{run}-poison-invalid", kind="telepathy")),
        ),
        (topics.OFFERS_SUBMITTED, "empty-object", b"{}"),
        (topics.NEEDS_WITHDRAWN, "no-id", as_json({"event_id": str(uuid.uuid4())})),
        (topics.OFFERS_SUBMITTED, "oversize", as_json(offer_event(description="x" * 1_100_000))),
    ]
    return [(topic, f"flt-{run}-poison-{name}", value) for topic, name, value in bad]


@dataclass
class Ledger:
    """The events of one run (ids ``flt-<run>-...``), sent through ``bootstrap``."""

    bootstrap: str
    database: str
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    postings: dict[str, Expected] = field(default_factory=dict)
    poisoned: dict[str, str] = field(default_factory=dict)  # key -> topic
    # How often each key was handed to the producer: a resend after a fault may follow a
    # send the broker had taken, and a record without an event id is then two records.
    handed: Counter[str] = field(default_factory=Counter)
    # event id -> (match id, decision)
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"flt-{self.run}-"

    def stream(self, size: Size) -> list[Sent]:
        """Needs and offers, then changes and withdrawals of some offers (never both for one),
        with the poison spread through it."""
        pick = random.Random(self.run)
        sent: list[Sent] = []
        for i in range(size.needs):
            need = need_event(
                need_id=f"{self.prefix}n{i}",
                school={"institution_number": f"{200000 + i}", "name": "School",
                        "postal_code": pick.choice(POSTAL_CODES)},
                period={**_period(pick.randint(20, 60), 90), "days": pick.randint(1, 5)},
            )  # fmt: skip
            sent.append((topics.NEEDS_SUBMITTED, need["need_id"], as_json(need)))
        offers = []
        for i in range(size.offers):
            offer = offer_event(
                offer_id=f"{self.prefix}o{i}",
                provider={"enterprise_number": "0403.170.701", "name": f"Garage {i}",
                          "type": "company", "postal_code": pick.choice(POSTAL_CODES)},
                period=_period(pick.randint(0, 40), 150),
                capacity=pick.randint(1, 3),
            )  # fmt: skip
            offers.append(offer)
            sent.append((topics.OFFERS_SUBMITTED, offer["offer_id"], as_json(offer)))
        pick.shuffle(sent)
        touched = pick.sample(offers, size.changed + size.withdrawn)
        for offer in touched[: size.changed]:
            changed = {**offer, "event_id": str(uuid.uuid4()), "field": "mechanica"}
            sent.append((topics.OFFERS_SUBMITTED, offer["offer_id"], as_json(changed)))
        for offer in touched[size.changed :]:
            withdrawal = {"event_id": str(uuid.uuid4()), "offer_id": offer["offer_id"]}
            sent.append((topics.OFFERS_WITHDRAWN, offer["offer_id"], as_json(withdrawal)))
        for item in poison(self.run):
            sent.insert(pick.randrange(len(sent)), item)
        for topic, key, value in sent:
            self._expect(topic, key, value)
        return sent

    def _expect(self, topic: str, key: str, value: bytes) -> None:
        if "-poison-" in key:
            self.poisoned[key] = topic
            return
        posting = self.postings.setdefault(key, Expected("need" if "-n" in key else "offer"))
        posting.events += 1
        if topic == topics.OFFERS_WITHDRAWN:
            posting.status = "withdrawn"
        else:
            posting.field = json.loads(value)["field"]

    async def send(
        self, sent: list[Sent], fault: Callable[[], Awaitable[None]], size: Size
    ) -> None:
        """Produce ``sent`` a chunk at a time over ``size.seconds``, start ``fault`` once a third
        is out, and decide ``size.decisions`` suggestions of the run meanwhile, as they come."""
        third = asyncio.Event()
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap, acks="all", enable_idempotence=True,
            max_request_size=8 * 1024 * 1024, request_timeout_ms=15000,
        )  # fmt: skip
        await producer.start()

        async def postings() -> None:
            chunks = [sent[i : i + 5] for i in range(0, len(sent), 5)]
            for number, chunk in enumerate(chunks):
                await _deliver(producer, chunk, self.handed)
                if number >= len(chunks) // 3:
                    third.set()
                await asyncio.sleep(size.seconds / len(chunks))

        async def faulting() -> None:
            await third.wait()
            await fault()

        try:
            async with asyncio.TaskGroup() as tasks:  # one failing stops the others
                for job in (postings(), faulting(), self._decide(producer, size.decisions)):
                    tasks.create_task(job)
        finally:
            with contextlib.suppress(TimeoutError):  # a broker that stayed down: do not hang
                async with asyncio.timeout(30):
                    await producer.stop()

    async def _decide(self, producer: AIOKafkaProducer, wanted: int) -> None:
        """Accept or reject (alternately) open suggestions of the run until ``wanted`` are
        decided; the database may be down a while (a fault)."""
        deadline = asyncio.get_running_loop().time() + DECISION_SECONDS
        while len(self.decisions) < wanted:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"only {len(self.decisions)} of {wanted} suggestions of run {self.run} to "
                    f"decide within {DECISION_SECONDS} s"
                )
            await asyncio.sleep(1)
            try:
                await self._fetch(_DECIDING_ADMIN, DECIDED_BY)
                open_matches = await self._fetch(
                    "SELECT match_id FROM review_matches WHERE need_id LIKE $1 AND status = 'open'"
                    " ORDER BY match_id",
                    f"{self.prefix}%",
                )
            except (OSError, asyncpg.PostgresError):
                continue
            decided = {match_id for match_id, _ in self.decisions.values()}
            chunk: list[Sent] = []
            for (match_id,) in open_matches:
                if match_id in decided or len(self.decisions) >= wanted:
                    continue
                decision = "accepted" if len(self.decisions) % 2 == 0 else "rejected"
                event = {
                    "event_id": str(uuid.uuid4()), "match_id": match_id, "decision": decision,
                    "reason": "" if decision == "accepted" else "te ver", "reason_code": None
                    if decision == "accepted" else "too_far", "decided_by": DECIDED_BY,
                    "decided_at": datetime.now(UTC).isoformat(),
                }  # fmt: skip
                self.decisions[event["event_id"]] = (match_id, decision)
                chunk.append((topics.MATCHES_DECIDED, match_id, as_json(event)))
            await _deliver(producer, chunk, self.handed)

    async def _fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self.database)
        try:
            return list(await connection.fetch(query, *args))
        finally:
            await connection.close()

    async def check(self, mail_log: str) -> Report:
        """Compare the ledger with the database, the output topics and the mails."""
        report = Report()
        await self._check_postings(report)
        await self._check_poison(report)
        await self._check_decisions(report)
        await self._check_matches(report, mail_log)
        return report

    async def _check_postings(self, report: Report) -> None:
        like = f"{self.prefix}%"
        rows = {
            "intake": await self._fetch(
                "SELECT need_id AS id, status, field, version FROM needs WHERE need_id LIKE $1"
                " UNION ALL SELECT offer_id, status, field, version FROM offers"
                " WHERE offer_id LIKE $1", like),
            "matcher": await self._fetch(
                "SELECT posting_id AS id, status, payload->>'field' AS field, version"
                " FROM matcher_postings WHERE posting_id LIKE $1", like),
            "review": await self._fetch(
                "SELECT need_id AS id, status, field, version FROM review_needs"
                " WHERE need_id LIKE $1 UNION ALL SELECT offer_id, status, NULL, version"
                " FROM review_offers WHERE offer_id LIKE $1", like),
        }  # fmt: skip
        held = {stage: {row["id"]: dict(row) for row in found} for stage, found in rows.items()}
        report.counts["posting events"] = sum(p.events for p in self.postings.values())
        for posting_id, expected in self.postings.items():
            stored = held["intake"].get(posting_id)
            if stored is None or _differs(stored, expected):
                report.problem("lost at intake", f"{posting_id}: {stored}, sent {expected}")
            elif stored["version"] > expected.events:
                report.problem("applied twice at intake", f"{posting_id}: {stored}")
            for stage in ("matcher", "review"):
                copy = held[stage].get(posting_id)
                if stored and (copy is None or _downstream(copy) != _downstream(stored)):
                    report.problem(f"lost at {stage}", f"{posting_id}: {copy}, intake {stored}")

    async def _check_poison(self, report: Report) -> None:
        if not self.poisoned:
            return
        landed: dict[str, set[str]] = {}
        for record in await history(
            [topics.POSTINGS_DLQ, topics.POSTINGS_REJECTED], self.bootstrap
        ):
            for key in {record.value.get("key"), record.value.get("posting_id"), record.key}:
                if key in self.poisoned:
                    landed.setdefault(key, set()).add(record.value["event_id"])
        report.counts["poison"] = len(self.poisoned)
        report.counts["poison landed"] = len(landed)
        for key in self.poisoned:
            if key not in landed:
                report.problem("poison lost", f"{key} on {self.poisoned[key]}")
            elif len(landed[key]) > self.handed[key]:
                report.problem("poison applied twice", f"{key}: {sorted(landed[key])}")

    async def _check_decisions(self, report: Report) -> None:
        refused = {
            record.value.get("source_event_id")
            for record in await history([topics.POSTINGS_REJECTED], self.bootstrap)
        }
        taken = {
            row["decision_event_id"]: row["status"]
            for row in await self._fetch(
                "SELECT decision_event_id, status FROM review_matches WHERE need_id LIKE $1",
                f"{self.prefix}%",
            )
        }
        report.counts["decisions"] = len(self.decisions)
        report.counts["decisions refused"] = len(refused & set(self.decisions))
        for event_id, (match_id, decision) in self.decisions.items():
            if taken.get(event_id) != decision and event_id not in refused:
                report.problem("decision lost", f"{event_id} ({decision} {match_id})")
        capacity = await self._fetch(
            "SELECT o.offer_id, o.capacity_used, p.used FROM review_offers o JOIN matcher_postings"
            " p ON p.side = 'offer' AND p.posting_id = o.offer_id WHERE o.offer_id LIKE $1",
            f"{self.prefix}%",
        )
        for row in capacity:
            if row["capacity_used"] != row["used"]:
                report.problem("decision applied twice or lost", str(dict(row)))
        given = await self._fetch(
            "SELECT n.need_id, n.quantity_met, (SELECT coalesce(sum(m.units), 0)"
            " FROM review_matches m WHERE m.need_id = n.need_id AND m.status = 'accepted')"
            " AS accepted FROM review_needs n WHERE n.need_id LIKE $1",
            f"{self.prefix}%",
        )
        for row in given:
            if row["quantity_met"] != row["accepted"]:
                report.problem("decision applied twice or lost", str(dict(row)))

    async def _check_matches(self, report: Report, mail_log: str) -> None:
        like = f"{self.prefix}%"
        matcher = dict(
            await self._fetch(
                "SELECT match_id, status FROM match_suggestions WHERE need_id LIKE $1", like
            )
        )
        review = dict(
            await self._fetch(
                "SELECT match_id, status FROM review_matches WHERE need_id LIKE $1", like
            )
        )
        report.counts["suggestions"] = len(matcher)
        for match_id, status in matcher.items():
            if SAME.get(status, status) != review.get(match_id) and review.get(match_id) not in (
                "accepted", "rejected"
            ):  # fmt: skip
                report.problem(
                    "match lost at review", f"{match_id}: {status}, {review.get(match_id)}"
                )
        mails = [mail for mail in parse_mails(mail_log) if mail["match"] in matcher]
        report.counts["mails"] = len(mails)
        for what, seen in (
            ("Message-ID", Counter(mail["id"] for mail in mails)),
            ("recipient, match and subject", Counter(
                (mail["to"], mail["match"], mail["subject"]) for mail in mails)),
        ):  # fmt: skip
            for item, times in seen.items():
                if times > 1:
                    report.problem(f"duplicate mail by {what}", f"{item} x{times}")
        sent = await self._fetch(
            "SELECT d.id FROM deliveries d JOIN notifications n ON n.id = d.notification_id"
            " WHERE d.channel = 'email' AND d.status = 'sent' AND n.match_id = ANY($1::text[])",
            list(matcher),
        )
        ids = {mail["id"] for mail in mails}
        report.counts["mails sent"] = len(sent)
        for (delivery_id,) in sent:
            if f"<delivery-{delivery_id}@schakel.notifier>" not in ids:
                report.problem("mail marked sent but not received", str(delivery_id))


def _differs(stored: dict[str, Any], expected: Expected) -> bool:
    """Whether intake's row is not what the last event sent says. A withdrawal that arrives
    before its submission folds the two into one version, so only open postings must carry
    the version the events sent count up to."""
    return (stored["status"], stored["field"]) != (expected.status, expected.field) or (
        expected.status == "open" and stored["version"] != expected.events
    )


def _downstream(row: dict[str, Any]) -> tuple[int, bool]:
    """What a copy of a posting must share with intake's row: its version, and whether it is
    withdrawn (the copies' open statuses also say what decisions used up)."""
    return row["version"], row["status"] == "withdrawn"


def parse_mails(log: str) -> list[dict[str, str]]:
    """The mails aiosmtpd's debugging handler printed: Message-ID, To, Subject and match."""
    mails = []
    for printed in log.split("---------- MESSAGE FOLLOWS ----------\n")[1:]:
        if printed.startswith("mail options:"):
            printed = printed.split("\n\n", 1)[1]
        mail = message_from_string(printed.split("------------ END MESSAGE")[0], policy=default)
        mails.append({
            "id": str(mail["Message-ID"]), "to": str(mail["To"]),
            "subject": str(mail["Subject"]), "match": str(mail["X-Schakel-Match"] or ""),
        })  # fmt: skip
    return mails


async def _deliver(producer: AIOKafkaProducer, chunk: list[Sent], handed: Counter[str]) -> None:
    """Send ``chunk`` until the broker took it all (it may be down a while: a fault); a resend
    carries the same event ids, as a producer's retry would. ``handed`` counts each key's sends."""
    while chunk:
        handed.update(key for _, key, _ in chunk)
        try:
            sends = [await producer.send(t, key=k.encode(), value=v) for t, k, v in chunk]
            await asyncio.gather(*sends)
            return
        except KafkaError:
            await asyncio.sleep(1)
