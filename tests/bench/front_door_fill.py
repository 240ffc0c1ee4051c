"""The front door's world filled through the public inputs, as a deployment fills it.

The users come first (a coordinator of each region, the admin, twenty schools' and fifteen
providers' users: about forty), then intake, the matcher, the notifier and a mail sink run as
``make up`` runs them (``tests.bench.processes``, each its own process, on the ports from
``FRONT_DOOR_SERVICE_PORT`` on). For ``needs`` needs:

- ``2 * needs`` offers of every kind (``tests.bench.generate``) are produced on
  ``offers.submitted``, Limburg about three in seven of them, the first ``PROVIDER_OFFERS`` of
  ``world.PROVIDER`` (its own page), the rest of two hundred other providers; they are the
  public catalogue too. The fill waits until every group's lag is 0 (``Lag.drained``).
- ``needs`` needs on ``needs.submitted``, a hundred schools (``School <n>``, institution number
  ``<n>`` in six digits, each at one place, ``world.SCHOOL`` in Limburg) with ``needs / 100``
  needs each; the matcher suggests up to five offers for each, the notifier stores them for
  review and tells the coordinators. Again until every lag is 0.
- ``needs / 10`` decisions over HTTP through the API of this process, each by the coordinator
  of the suggestion's region: half accept ``world.SCHOOL``'s suggestions (its needs ask fifty
  places each), so the notifier fills the school's inbox; the rest reject suggestions of every
  region, so the decided listings have rows. Until every lag is 0 again.

Each step's seconds, and what it made as the services tell it (suggestions through the admin's
``/api/matches``, the school's inbox through the notifier's own listing), are the fill's
figures. The world is analysed afterwards, as autovacuum would in time.
"""

import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

import httpx
from sqlalchemy import text

from services.api.settings import ApiSettings
from services.matcher.domain import NeedProfile, OfferProfile
from services.notifier.notifications import list_inbox
from services.notifier.routing import organisation_key
from shared import topics
from shared.db import make_engine, make_sessionmaker
from shared.taxonomy import Place, places
from shared.validation import enterprise_number_of
from tests.api.builders import Account, Accounts, browser, running_app
from tests.bench import processes
from tests.bench.front_door_world import PROVIDER, PROVIDER_OFFERS, REGIONS, SCHOOL
from tests.bench.generate import Generator
from tests.bench.postings import Record, need, offer, send
from tests.kafka_io import as_json
from tests.stack import database_url

SCHOOLS = 100
# Places each of ``SCHOOL``'s needs asks: more than five offers hold, so its five suggestions
# can all be accepted (an acceptance takes what the need lacks, at most the offer's capacity).
SCHOOL_QUANTITY = 50
OTHER_PROVIDERS = 200
# Every wait for the services to drain gives up after this long (the fill then fails).
CAP_S = float(os.environ.get("FRONT_DOOR_FILL_CAP_S", "3600"))
_BASE = int(os.environ.get("FRONT_DOOR_SERVICE_PORT", "18501"))
PORTS = processes.Ports(_BASE, (_BASE + 1,), _BASE + 2, _BASE + 8)
PAGE = 100  # matches per listing page
Profile = TypeVar("Profile", NeedProfile, OfferProfile)


def _by_region() -> dict[str, list[Place]]:
    regions: dict[str, list[Place]] = {region: [] for region in REGIONS}
    for place in sorted(places().values(), key=lambda p: p.postal_code):
        regions[place.rtc_region].append(place)
    return regions


def school_number(school: int) -> str:
    """The institution number of the bench's ``school``-th school."""
    return f"{school:06d}"


def _school_places() -> list[Place]:
    """Each school's place: school ``n`` in ``REGIONS[n % len(REGIONS)]``."""
    regions = _by_region()
    return [
        regions[REGIONS[n % len(REGIONS)]][7 * n % len(regions[REGIONS[n % len(REGIONS)]])]
        for n in range(SCHOOLS)
    ]


def _at(profile: Profile, place: Place) -> Profile:
    return replace(
        profile, latitude=place.latitude, longitude=place.longitude, rtc_region=place.rtc_region
    )


def offer_records(count: int) -> list[Record]:
    """``count`` offers as ``offers.submitted`` records."""
    chooser, regions = random.Random(5), _by_region()
    records: list[Record] = []
    for number, profile in enumerate(Generator(4).offers(count, "fd-offer")):
        place = chooser.choice(regions[REGIONS[number % len(REGIONS)]])
        if number < PROVIDER_OFFERS:
            provider, name = PROVIDER, "Garage Claes"
        else:
            other = number % OTHER_PROVIDERS
            provider, name = enterprise_number_of(4_000_000 + other), f"Garage {other}"
        event = offer(_at(profile, place), provider, name=name)
        records.append((topics.OFFERS_SUBMITTED, profile.offer_id, as_json(event)))
    return records


def need_records(count: int) -> list[Record]:
    """``count`` needs as ``needs.submitted`` records, school by school in turn."""
    schools = _school_places()
    records: list[Record] = []
    for number, profile in enumerate(Generator(6).needs(count, "fd-need")):
        school = number % SCHOOLS
        placed = _at(profile, schools[school])
        if school_number(school) == SCHOOL:
            placed = replace(placed, quantity=SCHOOL_QUANTITY)
        event = need(placed, institution_number=school_number(school), name=f"School {school}")
        records.append((topics.NEEDS_SUBMITTED, profile.need_id, as_json(event)))
    return records


async def users(accounts: Accounts) -> dict[str, Account]:
    """About forty users: each region's coordinator (``coordinator:<region>``), the admin, the
    first twenty schools' and fifteen providers' (``world.PROVIDER``'s first)."""
    made = {
        f"coordinator:{region}": await accounts.create("coordinator", region=region)
        for region in sorted(set(REGIONS))
    }
    made["admin"] = await accounts.create("admin")
    for school in range(20):
        made[f"school:{school}"] = await accounts.create("school", school_number(school))
    made["provider"] = await accounts.create("provider", PROVIDER)
    for other in range(14):
        number = enterprise_number_of(4_000_000 + other)
        made[f"provider:{other}"] = await accounts.create("provider", number)
    return made


async def _drained(lag: processes.Lag, started: float) -> dict[str, Any]:
    """Seconds from ``started`` until every group's lag was 0 for good (fails after CAP_S)."""
    groups = await lag.drained(started, CAP_S)
    late = {group: result for group, result in groups.items() if "seconds" not in result}
    if late:
        raise RuntimeError(f"the services did not drain in {CAP_S:.0f} s: {late}")
    return {"seconds": max(result["seconds"] for result in groups.values()), "groups": groups}


async def _posted(lag: processes.Lag, records: list[Record]) -> dict[str, Any]:
    started = time.perf_counter()
    await send(records)
    produced = time.perf_counter() - started
    return {"postings": len(records), "produced_s": round(produced, 2)} | await _drained(
        lag, started
    )


async def _open_matches(http: httpx.AsyncClient, wanted: int, **narrowed: str) -> list[str]:
    """Up to ``wanted`` ids of open suggestions the caller may decide, best first."""
    found: list[str] = []
    page = 1
    while len(found) < wanted:
        listed = await http.get(
            "/api/matches",
            params={"status": "open", "page": page, "page_size": PAGE, **narrowed},
        )
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        found += [item["match_id"] for item in items]
        if len(items) < PAGE:
            break
        page += 1
    return found[:wanted]


Decide = Callable[[httpx.AsyncClient, str], Awaitable[int]]


async def _accept(http: httpx.AsyncClient, match_id: str) -> int:
    answer = await http.post(f"/api/matches/{match_id}/decision", json={"decision": "accepted"})
    return answer.status_code


async def _reject(http: httpx.AsyncClient, match_id: str) -> int:
    answer = await http.post(
        f"/api/matches/{match_id}/decision",
        json={"decision": "rejected", "reason_code": "too_far", "reason": "Te ver voor de klas."},
    )
    return answer.status_code


async def _decide_all(http: httpx.AsyncClient, match_ids: list[str], decide: Decide) -> list[int]:
    return [await decide(http, match_id) for match_id in match_ids]


async def decisions(lag: processes.Lag, made: dict[str, Account], count: int) -> dict[str, Any]:
    """``count`` decisions over HTTP, each region's by its coordinator, the regions at once:
    half accept ``SCHOOL``'s suggestions, the rest reject suggestions of every region; then,
    with the API still relaying its outbox, until every group's lag is 0."""
    regions = sorted(set(REGIONS))
    started = time.perf_counter()
    async with running_app(ApiSettings()) as app:
        coordinators = {region: browser(app) for region in regions}
        for region, http in coordinators.items():
            http.headers.update(made[f"coordinator:{region}"].bearer)
        school_region = REGIONS[int(SCHOOL) % len(REGIONS)]
        accepting = await _open_matches(coordinators[school_region], count // 2, school=SCHOOL)
        share = -(-(count - len(accepting)) // len(regions))
        rejecting = {
            region: await _open_matches(coordinators[region], share + len(accepting))
            for region in regions
        }
        chosen = set(accepting)
        work = [_decide_all(coordinators[school_region], accepting, _accept)] + [
            _decide_all(coordinators[region], [m for m in ids if m not in chosen][:share], _reject)
            for region, ids in rejecting.items()
        ]
        answers = await asyncio.gather(*work)
        seconds = time.perf_counter() - started
        for http in coordinators.values():
            await http.aclose()
        drained = await _drained(lag, started)
    accepted, rejected = answers[0], [code for codes in answers[1:] for code in codes]
    return {
        "seconds": round(seconds, 2),
        "drained_s": drained["seconds"],
        "accepted": accepted.count(200),
        "rejected": rejected.count(200),
        "refused": sum(1 for code in accepted + rejected if code != 200),
    }


async def _counted(made: dict[str, Account]) -> dict[str, int]:
    """What the fill made: suggestions (every status, and open) as the admin's API counts them,
    and the school's inbox as the notifier lists it."""
    async with running_app(ApiSettings(exact_count_limit=10**12)) as app:
        http = browser(app)
        http.headers.update(made["admin"].bearer)
        counts = {}
        for name, wanted in (("suggestions", {}), ("suggestions_open", {"status": "open"})):
            listed = await http.get("/api/matches", params={"page_size": 1, **wanted})
            assert listed.status_code == 200, listed.text
            counts[name] = listed.json()["total"]
        await http.aclose()
    engine = make_engine(database_url())
    async with make_sessionmaker(engine)() as session:
        inbox = await list_inbox(session, organisation_key("school", SCHOOL), limit=10**7)
    await engine.dispose()
    return counts | {"school_notifications": len(inbox)}


async def _analysed() -> None:
    engine = make_engine(database_url())
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))
    await engine.dispose()


async def fill(needs: int) -> dict[str, Any]:
    """Fill the world for ``needs`` needs through the public inputs; its figures."""
    started = time.perf_counter()
    engine = make_engine(database_url())
    made = await users(Accounts(make_sessionmaker(engine)))
    await engine.dispose()
    offered, asked = offer_records(2 * needs), need_records(needs)
    made_at = round(time.perf_counter() - started, 1)
    figures: dict[str, Any] = {"needs": needs, "users": len(made), "users_made_at_s": made_at}
    async with processes.Lag() as lag, processes.running(processes.pipeline(PORTS)):
        figures["services_ready_at_s"] = round(time.perf_counter() - started, 1)
        figures["offers"] = await _posted(lag, offered)
        figures["needs_drained"] = await _posted(lag, asked)
        figures["decisions"] = await decisions(lag, made, needs // 10)
    figures |= await _counted(made)
    await _analysed()
    figures["total_s"] = round(time.perf_counter() - started, 1)
    return figures
