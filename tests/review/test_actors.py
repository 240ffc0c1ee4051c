"""The one region scope (``services.review.actors``): the admin reviews every region, a
coordinator only its own, every other role none. Pure: no database."""

import pytest
from sqlalchemy import column, select, table
from sqlalchemy.dialects import postgresql

from services.review.actors import Actor, NotAReviewer, RegionNotNamed

REGIONS = ("Limburg", "Antwerpen", "West-Vlaanderen")
ADMIN = Actor.admin("beheer@schakel.example")
LIMBURG = Actor.coordinator("rtc@limburg.example", "Limburg")
OTHERS = (
    Actor("school", "ta@school.example", organisation_number="048561"),
    Actor("provider", "jan@garage.example", organisation_number="0403.170.701"),
    Actor("coordinator", "rtc@nowhere.example"),  # a coordinator without a region
)


def _where(actor: Actor) -> str:
    needs = table("review_needs", column("rtc_region"))
    query = select(needs).where(actor.region_filter(needs.c.rtc_region))
    compiled = query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    return str(compiled).split("WHERE", 1)[1].strip()


def test_the_admin_reviews_every_region() -> None:
    assert ADMIN.reviews
    assert all(ADMIN.covers(region) for region in REGIONS)
    assert _where(ADMIN) == "true"
    assert ADMIN.region_shown(None) is None  # every region
    assert ADMIN.region_shown("Antwerpen") == "Antwerpen"
    assert ADMIN.region_chosen("Antwerpen") == "Antwerpen"


def test_a_coordinator_reviews_only_its_own_region_whatever_it_asks_for() -> None:
    assert LIMBURG.reviews
    assert [region for region in REGIONS if LIMBURG.covers(region)] == ["Limburg"]
    assert _where(LIMBURG) == "review_needs.rtc_region = 'Limburg'"
    assert LIMBURG.region_shown(None) == "Limburg"
    assert LIMBURG.region_shown("Antwerpen") == "Limburg"
    assert LIMBURG.region_chosen("Antwerpen") == "Limburg"


@pytest.mark.parametrize("actor", OTHERS, ids=lambda actor: actor.email)
def test_every_other_role_reviews_nothing(actor: Actor) -> None:
    assert not actor.reviews
    assert not any(actor.covers(region) for region in REGIONS)
    assert _where(actor) == "false"
    with pytest.raises(NotAReviewer):
        actor.region_shown("Limburg")
    with pytest.raises(NotAReviewer):
        actor.region_chosen("Limburg")


def test_the_admin_names_the_region_it_acts_on() -> None:
    with pytest.raises(RegionNotNamed):
        ADMIN.region_chosen(None)
