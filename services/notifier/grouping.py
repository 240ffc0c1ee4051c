"""Which notifications a batch of new suggestions makes: one grouped mail per coordinator.

Pure. Every suggestion gets its own notification per coordinator (the inbox entry; its unique
key makes a redelivery a no-op). A coordinator who wants mail at once gets the suggestion's own
mail when a batch brings one suggestion for them, and during a burst one mail with all of the
batch's (the digest's text) instead of one each. A coordinator who chose the daily digest gets
the suggestion into it; one who chose no mail finds it in the inbox only.
"""

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from services.notifier import templates
from services.notifier.notify import Notice, payload
from services.notifier.routing import Coordinator, Delivery, Route, coordinator_key, to_coordinators
from services.notifier.templates import Link, MatchFacts

# A suggestion with the RTC region of its school.
RegionalSuggestion = tuple[MatchFacts, str]


def digest_notice(
    recipient: str,
    name: str,
    address: str,
    key: str,
    day: date,
    suggestions: list[MatchFacts],
    news: Sequence[Link] = (),
) -> Notice:
    """One mail to a person listing ``suggestions`` and ``news``; ``key`` names it (one per
    key)."""
    body = {
        "type": "digest",
        "day": day.isoformat(),
        "match_ids": [facts.match_id for facts in suggestions],
        "news": [item.label for item in news],
    }
    route = Route(recipient, "digest", (Delivery("email", address),))
    return Notice(key, route, templates.digest(name, day, suggestions, news), body)


def group_key(suggestions: list[MatchFacts]) -> str:
    """The name of a grouped mail: a suggestion is announced once, so its set names one mail."""
    ids = "\n".join(sorted(facts.match_id for facts in suggestions))
    return f"suggestions:{hashlib.sha256(ids.encode()).hexdigest()[:40]}"


def suggestion_notices(
    suggestions: Sequence[RegionalSuggestion],
    coordinators: Mapping[str, list[Coordinator]],
    day: date,
) -> list[Notice]:
    """The notifications announcing ``suggestions`` to the coordinators of their regions."""
    # A region's routes are the same for each of its suggestions: worked out once per batch.
    routes = {
        region: to_coordinators(found, region, "suggestion")
        for region, found in coordinators.items()
    }
    notices: list[Notice] = []
    mailed: dict[str, list[tuple[MatchFacts, Notice]]] = defaultdict(list)
    for facts, region in suggestions:
        message, body = templates.suggestion(facts), payload("suggestion", facts)
        for route in routes.get(region, ()):
            notice = Notice(facts.match_id, route, message, body)
            if route.deliveries and route.deliveries[0].channel == "email":
                mailed[route.recipient].append((facts, notice))
            else:
                notices.append(notice)
    by_key = {coordinator_key(c.id): c for region in coordinators.values() for c in region}
    for recipient, own in mailed.items():
        if len(own) == 1:
            notices.append(own[0][1])
            continue
        inbox_only = replace(own[0][1].route, deliveries=())
        notices.extend(Notice(n.match_id, inbox_only, n.message, n.body) for _, n in own)
        grouped = [facts for facts, _ in own]
        coordinator = by_key[recipient]
        notices.append(
            digest_notice(
                recipient, coordinator.name, coordinator.email, group_key(grouped), day, grouped
            )
        )
    return notices
