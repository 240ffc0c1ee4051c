"""The demo school one signs in as has a need that no offer of the demo world serves, so its page
"Waarom nog geen match?" shows the nearest misses: scored by the matcher's own rules against the
world's offers of the need's kind group, as the matcher stores them after intake."""

from typing import Any

from services.demo import logins, world
from services.matcher.misses import misses_of
from services.matcher.open_postings import OpenPostings
from services.matcher.profiles import fields_of, need_profiles, offer_profiles
from services.matcher.settings import MatcherSettings
from shared.contracts import NeedSubmitted, OfferSubmitted
from shared.taxonomy import kind_group, places
from tests.builders import today

TODAY = today()


def _registered(posting: NeedSubmitted | OfferSubmitted) -> dict[str, Any]:
    """``posting`` as intake registers it: with the place of its postal code."""
    data = posting.model_dump(mode="json")
    owner = data["school"] if isinstance(posting, NeedSubmitted) else data["provider"]
    place = places()[owner["postal_code"]]
    at = {"latitude": place.latitude, "longitude": place.longitude}
    return data | {"place": at | {"rtc_region": place.rtc_region}}


def test_the_signed_in_school_has_a_need_nothing_serves_and_is_told_why() -> None:
    (school,) = [login for login in logins.logins(TODAY) if login.role == "school"]
    own = [n for n in world.needs(TODAY) if n.school.institution_number == school.value]
    settings = MatcherSettings()
    unserved = []
    for event in own:
        need = need_profiles([(fields_of("need", _registered(event)), 0)])[0]
        group = [o for o in world.offers(TODAY) if kind_group(o.kind) == kind_group(need.kind)]
        offers = offer_profiles([(fields_of("offer", _registered(o)), 0) for o in group])
        postings = OpenPostings(settings)
        postings.put_needs([need])
        postings.put_offers(offers)
        postings.refresh_text_model()
        if not len(postings.score_needs([need.need_id], keep_best=5).offer_ids):
            unserved.append(misses_of(need, offers, [], settings))
    assert len(unserved) == 1 < len(own)  # the other needs show suggestions
    (misses,) = unserved
    distance = next(miss for miss in misses.misses if miss.rule == "distance")
    assert distance.offers >= 1
    assert f"uw grens is {world.UNSERVED_KM} km" in distance.message
    assert "Een grotere afstand helpt." in distance.message
