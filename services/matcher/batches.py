"""From a Kafka batch to what each kind group applies: the events routed to their group, the
latest version of each posting and the newest review of each match and posting written at once,
and the ``Batch`` the engine applies (so the outcome never depends on the order within it)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from services.matcher.domain import Batch, Changes
from services.matcher.profiles import (
    InUse,
    PostingFields,
    fields_of,
    need_profiles,
    offer_profiles,
)
from services.matcher.store import MatcherStore, StoredMatch
from shared.contracts import MatchReviewed, NeedRegistered, OfferRegistered, is_open
from shared.taxonomy import kind_group

# What the matcher consumes: registered postings and the review state's decisions.
MatcherInput = NeedRegistered | OfferRegistered | MatchReviewed
Posting = NeedRegistered | OfferRegistered
Key = tuple[str, str]  # (side, posting id)
Entry = tuple[str, int, PostingFields]  # status, used, fields
USED_UP = {"need": "need_matched", "offer": "capacity_used"}  # why a used-up posting closes


def key_of(posting: Posting) -> Key:
    """Where the posting is stored."""
    return posting.side, posting.posting_id


@dataclass(slots=True)
class GroupEvents:
    """The events of one kind group, and the stored pairs its reviews are about."""

    group: str
    events: list[MatcherInput] = field(default_factory=list)
    matches: dict[str, StoredMatch] = field(default_factory=dict)

    @property
    def event_ids(self) -> list[str]:
        """The ids to claim."""
        return [str(event.event_id) for event in self.events]

    def fresh(self, claimed: set[str]) -> "GroupEvents":
        """Only the events claimed now (not seen before)."""
        events = [event for event in self.events if str(event.event_id) in claimed]
        return GroupEvents(self.group, events, self.matches)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A Kafka batch routed to kind groups (in lock order)."""

    groups: dict[str, GroupEvents]
    stored: dict[
        Key, tuple[str, int]
    ]  # where the batch's postings are stored, and as which version
    unknown: list[MatchReviewed]  # reviews of pairs this matcher never suggested: nothing to do

    @classmethod
    async def route(cls, store: MatcherStore, events: Sequence[MatcherInput]) -> "Incoming":
        """A posting goes to its kind's group, a review to the group of the pair it decides."""
        reviews = [event for event in events if isinstance(event, MatchReviewed)]
        matches = await store.matches({review.match_id for review in reviews})
        postings = [event for event in events if not isinstance(event, MatchReviewed)]
        stored = await store.stored_groups({key_of(posting) for posting in postings})
        groups: dict[str, GroupEvents] = {}
        unknown = []
        for event in events:
            if isinstance(event, MatchReviewed):
                match = matches.get(event.match_id)
                if match is None:
                    unknown.append(event)
                    continue
                part = groups.setdefault(match.kind_group, GroupEvents(match.kind_group))
                part.matches[match.match_id] = match
            else:
                group = kind_group(event.kind)
                part = groups.setdefault(group, GroupEvents(group))
            part.events.append(event)
        return cls(dict(sorted(groups.items())), stored, unknown)


def departures(part: GroupEvents, stored: Mapping[Key, tuple[str, int]]) -> dict[str, Batch]:
    """Per group the part's postings leave (their kind changed to one of another group), the
    batch closing them there."""
    closed: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for posting in _postings(part.events).values():
        side, posting_id = key_of(posting)
        group, version = stored.get((side, posting_id), (part.group, 0))
        if group != part.group and posting.version >= version:
            needs, offers = closed.setdefault(group, ({}, {}))
            (needs if side == "need" else offers)[posting_id] = f"{side}_changed"
    return {
        group: Batch(closed_needs=needs, closed_offers=offers)
        for group, (needs, offers) in closed.items()
    }


class Applied:
    """One group's fresh events written to its tables, then made a ``Batch``."""

    def __init__(self, store: MatcherStore, part: GroupEvents, now: datetime) -> None:
        self._store, self._part, self._now = store, part, now

    async def write(self, group: str) -> Batch:
        """Store the postings and reviews; the batch of what they changed."""
        postings = _postings(self._part.events)
        payloads = {key: posting.model_dump(mode="json") for key, posting in postings.items()}
        saved = await self._store.save_postings(
            group,
            [
                (*key, posting.version, posting.status, payloads[key])
                for key, posting in postings.items()
            ],
        )
        entries: dict[Key, Entry] = {
            key: (
                postings[key].status,
                count,
                fields_of(postings[key].side, payloads[key])._replace(in_use=in_use),
            )
            for key, (count, in_use) in saved.items()
        }
        reviews = [event for event in self._part.events if isinstance(event, MatchReviewed)]
        decided = await self._review(reviews)
        for stored in await self._store.postings({key for pair in decided for key in pair}):
            entries[stored.side, stored.posting_id] = (stored.status, stored.used, stored.fields)
        return batch_of(entries, [(need[1], offer[1]) for need, offer in decided])

    def first_suggestions(self, changes: Changes) -> list[datetime]:
        """When each newly registered need that got suggestions was registered."""
        suggested = {suggestion.need_id for suggestion in changes.suggested}
        return [
            event.registered_at
            for event in self._part.events
            if isinstance(event, NeedRegistered) and event.need_id in suggested
        ]

    async def _review(self, reviews: list[MatchReviewed]) -> list[tuple[Key, Key]]:
        """Store the newest review of each pair and what it says each posting has used; the
        decided pairs as (need key, offer key)."""
        newest = _newest_per_pair(reviews)
        await self._store.set_statuses(
            [(match_id, review.status, review.reason_code) for match_id, review in newest.items()]
        )
        used: dict[Key, tuple[int, int, InUse]] = {}
        for review in reviews:
            match = self._part.matches[review.match_id]
            for key, count, days in (
                (("need", match.need_id), review.need_quantity_met, None),
                (("offer", match.offer_id), review.offer_capacity_used, _in_use(review)),
            ):
                if key not in used or used[key][1] < review.revision:
                    used[key] = (count, review.revision, days)
        await self._store.set_used(
            [(*key, count, revision, days) for key, (count, revision, days) in used.items()]
        )
        pairs = (self._part.matches[match_id] for match_id in newest)
        return [(("need", pair.need_id), ("offer", pair.offer_id)) for pair in pairs]


def batch_of(entries: Mapping[Key, Entry], decided: Sequence[tuple[str, str]] = ()) -> Batch:
    """The batch of stored postings: open ones put back with what they have left, the others
    closed with the reason why."""
    today = datetime.now(UTC).date()
    closed: dict[str, dict[str, str]] = {"need": {}, "offer": {}}
    matchable: dict[str, list[tuple[PostingFields, int]]] = {"need": [], "offer": []}
    for (side, posting_id), (status, used, fields) in entries.items():
        if is_open(status):
            matchable[side].append((fields, used))
        else:
            closed[side][posting_id] = f"{side}_{status}"
    needs = need_profiles(matchable["need"])
    offers = offer_profiles(matchable["offer"])
    for side, profiles in (("need", needs), ("offer", offers)):
        for profile in profiles:
            if profile.end < today or profile.left <= 0:
                reason = "expired" if profile.end < today else USED_UP[side]
                closed[side][profile.posting_id] = reason
    return Batch(
        [need for need in needs if need.need_id not in closed["need"]],
        [offer for offer in offers if offer.offer_id not in closed["offer"]],
        closed["need"],
        closed["offer"],
        decided,
    )


def _postings(events: Iterable[MatcherInput]) -> dict[Key, Posting]:
    """The latest version of each posting (the later event of two equal versions)."""
    latest: dict[Key, Posting] = {}
    for event in events:
        if isinstance(event, MatchReviewed):
            continue
        key = key_of(event)
        if key not in latest or latest[key].version <= event.version:
            latest[key] = event
    return latest


def _in_use(review: MatchReviewed) -> InUse:
    """The offer's units in use a review tells (None: an older review tells none)."""
    if review.offer_in_use is None:
        return None
    return tuple((run.first, run.last, run.units) for run in review.offer_in_use)


def _newest_per_pair(reviews: Iterable[MatchReviewed]) -> dict[str, MatchReviewed]:
    """The review of each match with the highest review revision (decisions arrive unordered)."""
    newest: dict[str, MatchReviewed] = {}
    for review in reviews:
        held = newest.get(review.match_id)
        if held is None or held.revision <= review.revision:
            newest[review.match_id] = review
    return newest
