"""The world the front door is measured (``tests.bench.front_door``) and its plans checked
(``tests/infra/test_hot_plans.py``) on, filled straight in PostgreSQL with ``generate_series``.

For ``needs`` needs: the review state (the needs over the five regions, Limburg the biggest,
a hundred schools with ``needs / 100`` needs each; twice as many offers, all of one provider;
five suggestions a need, nine in ten open, all announced and reminded: a running notifier's
state, not a backlog), intake's copy of the needs and of the provider's first
``PROVIDER_OFFERS`` offers (the ``/school`` and ``/aanbieder`` pages), the public
catalogue's offers of another provider (``tests.bench.catalogue``'s titles, twice ``needs``) and
``notifications`` notifications, half of them the school's; and if asked, ``bookings`` accepted
loans on each of the provider's own offers (three days each, over its two units, a seventeenth
cancelled: the timelines and progress of the provider's page).
"""

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import make_engine
from tests.bench import catalogue
from tests.notifier import events

SCHOOL = "000001"  # one school of a hundred
PROVIDER = "0403.170.701"  # every review offer's provider
PROVIDER_OFFERS = 500  # of them in intake: the provider's own page
# Limburg holds about half the needs, as the measured world's biggest region held. Filled through
# the public inputs, school ``n`` is in ``REGIONS[n % 7]``: ``SCHOOL`` and ``School 12`` (the
# queue's school filter) in Limburg.
REGIONS = (
    "Limburg", "Limburg", "Antwerpen", "Oost-Vlaanderen", "Vlaams-Brabant", "Limburg",
    "West-Vlaanderen",
)  # fmt: skip
REVIEW = (
    """INSERT INTO review_needs (need_id, version, status, kind, field, grades, title,
        institution_number, school_name, rtc_region, contact_name, contact_email, quantity,
        quantity_met, wants_replacement, registered_at, period_start, period_end)
    SELECT 'fd-need-' || i, 1, 'open', 'teacher_internship', 'auto', ARRAY['G3'],
        'Bedrijfsstage ' || i, lpad((i % 100)::text, 6, '0'), 'School ' || (i % 100),
        (CAST(:regions AS text[]))[1 + i % cardinality(CAST(:regions AS text[]))],
        'An Peeters', 'need' || i || '@school.example',
        1, 0, false, now(), current_date + 30, current_date + 120
    FROM generate_series(1, CAST(:needs AS int)) AS i""",
    """INSERT INTO review_offers (offer_id, version, status, title, enterprise_number,
        provider_name, provider_type, contact_name, contact_email, capacity, capacity_used,
        period_start, period_end)
    SELECT 'fd-offer-' || i, 1, 'open', 'Meedraaien in de werkplaats ' || i, :provider,
        'Garage ' || (i % 500), 'company', 'Bart Claes', 'offer' || i || '@garage.example', 2, 0,
        current_date + 30, current_date + 120
    FROM generate_series(1, 2 * CAST(:needs AS int)) AS i""",
    """INSERT INTO review_matches (match_id, need_id, offer_id, status, matcher_revision, kind,
        score, rank, distance_km, components, explanation, suggested_at, announced, reminded,
        units)
    SELECT 'fd-match-' || n || '-' || r, 'fd-need-' || n,
        'fd-offer-' || (1 + (n * 7 + r * 13) % (2 * CAST(:needs AS int))),
        CASE WHEN (n + r) % 10 = 0 THEN 'rejected' ELSE 'open' END, 1, 'teacher_internship',
        0.5 + ((n * 31 + r * 17) % 500) / 1000.0, r, 5 + r, '{"distance": 0.9}'::jsonb,
        'Zelfde vakgebied (auto).', now() - make_interval(mins => (n * 5 + r) % 50000), true,
        true, 0
    FROM generate_series(1, CAST(:needs AS int)) AS n, generate_series(1, 5) AS r""",
    """INSERT INTO review_queue_versions (rtc_region, version)
    SELECT DISTINCT rtc_region, 1 FROM review_needs ON CONFLICT DO NOTHING""",
)
INTAKE = (
    """INSERT INTO needs (need_id, institution_number, version, status, kind, field,
        rtc_region, period_start, period_end, registered)
    SELECT 'fd-need-' || i, lpad((i % 100)::text, 6, '0'), 1, 'open', 'teacher_internship',
        'auto', 'Limburg', current_date + 30, current_date + 120,
        jsonb_set(jsonb_set(CAST(:need AS jsonb), '{need_id}', to_jsonb('fd-need-' || i)),
            '{school,institution_number}', to_jsonb(lpad((i % 100)::text, 6, '0')))
    FROM generate_series(1, CAST(:needs AS int)) AS i""",
    """INSERT INTO offers (offer_id, enterprise_number, version, status, kind, field,
        rtc_region, period_start, period_end, registered)
    SELECT 'fd-offer-' || i, :provider, 1, 'open', 'teacher_internship', 'auto', 'Limburg',
        current_date + 30, current_date + 120,
        jsonb_set(CAST(:offer AS jsonb), '{offer_id}', to_jsonb('fd-offer-' || i))
    FROM generate_series(1, CAST(:provider_offers AS int)) AS i""",
    """INSERT INTO notifications (match_id, recipient, type, subject, body_text,
        body_html, payload, created_at, read_at)
    SELECT 'fd-match-' || i || '-1', 'school:' || CASE WHEN i % 2 = 0 THEN :school
        ELSE '999999' END, 'suggested', 'Nieuw voorstel ' || i, 'Er is een voorstel.',
        '<p>Er is een voorstel.</p>', '{}'::jsonb, now() - make_interval(mins => i),
        CASE WHEN i % 3 = 0 THEN now() END
    FROM generate_series(1, CAST(:notifications AS int)) AS i""",
)


BOOKINGS = """INSERT INTO review_matches (match_id, need_id, offer_id, status, matcher_revision,
        kind, score, rank, distance_km, components, explanation, suggested_at, announced, units,
        decided_by, decided_at, booked_from, booked_until, cancelled_on)
    SELECT 'fd-booking-' || o || '-' || k, 'fd-need-' || (1 + (o * 40 + k) % CAST(:needs AS int)),
        'fd-offer-' || o, 'accepted', 1, 'teacher_internship', 0.6 + (k % 30) / 100.0, 1, 7,
        '{"distance": 0.9}'::jsonb, 'Zelfde vakgebied (auto).', now(), true, 1,
        'coordinator@rtc.example', now(), current_date + 30 + (k / 2) * 4,
        current_date + 32 + (k / 2) * 4,
        CASE WHEN k % 17 = 0 THEN current_date + 31 + (k / 2) * 4 END
    FROM generate_series(1, CAST(:provider_offers AS int)) AS o,
        generate_series(0, CAST(:bookings AS int) - 1) AS k"""


async def fill(
    connection: AsyncConnection, needs: int, notifications: int, bookings: int = 0
) -> None:
    """Fill the world for ``needs`` needs (the caller analyses it), ``bookings`` on each of the
    provider's own offers."""
    need = events.need("3500").model_dump(mode="json")
    offer = events.offer().model_dump(mode="json")
    offer["provider"]["enterprise_number"] = PROVIDER
    values: dict[str, Any] = {
        "needs": needs, "regions": list(REGIONS), "provider": PROVIDER, "school": SCHOOL,
        "need": json.dumps(need), "offer": json.dumps(offer), "notifications": notifications,
        "provider_offers": min(PROVIDER_OFFERS, 2 * needs), "bookings": bookings,
    }  # fmt: skip
    for statement in (*REVIEW, *INTAKE, *([BOOKINGS] if bookings else [])):
        await connection.execute(text(statement), values)
    await connection.execute(text(catalogue.FILL), catalogue.fill_values(2 * needs))


async def fill_database(
    database_url: str, needs: int, notifications: int, bookings: int = 0
) -> None:
    """Fill the world in the database at ``database_url`` and analyse it."""
    engine = make_engine(database_url)
    async with engine.begin() as connection:
        await fill(connection, needs, notifications, bookings)
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))
    await engine.dispose()
