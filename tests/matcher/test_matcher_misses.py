"""Why a need has no suggestion: each near miss named by the rule that kept it out, found by the
matcher's own scoring with that one limit lifted."""

from datetime import timedelta

from services.matcher.misses import Miss, misses_of
from tests.matcher.builders import SETTINGS, a_need, an_offer


def _by_rule(misses: list[Miss]) -> dict[str, tuple[int, str]]:
    return {miss.rule: (miss.offers, miss.message) for miss in misses}


def test_each_offer_is_named_by_the_one_limit_that_kept_it_out() -> None:
    need = a_need(max_distance_km=20.0)  # Hasselt; Genk is about 18 km away
    late = need.end + timedelta(days=30)
    offers = [
        an_offer("far-1", postal_code="2000"),  # Antwerpen
        an_offer("far-2", postal_code="9000"),  # Gent
        an_offer("later", start=late, end=late + timedelta(days=60)),
        an_offer("younger", grades=frozenset({"G1"})),
        an_offer("kitchen", field="horeca"),
        an_offer("talk", kind="guest_expert"),  # another kind: never met, never counted
    ]
    booked = [an_offer("full", capacity_left=0)]
    found = _by_rule(misses_of(need, offers, booked, SETTINGS).misses)
    assert found["distance"][0] == 2
    assert "de dichtste op" in found["distance"][1] and "uw grens is 20 km" in found["distance"][1]
    assert found["period"][0] == 1 and "Andere data" in found["period"][1]
    assert found["grades"] == (1, "1 aanbieding past, maar is voor andere graden.")
    assert found["field"][0] == 1 and "auto" in found["field"][1]
    assert found["booked"][0] == 1
    assert "score" not in found


def test_an_offer_past_every_rule_under_the_threshold_is_a_score_miss() -> None:
    strict = SETTINGS.model_copy(update={"min_score": 0.99})
    misses = misses_of(a_need(), [an_offer("close")], [], strict)
    assert [(m.rule, m.offers) for m in misses.misses] == [("score", 1)]
    assert "haalt de drempel van 99 % niet" in misses.misses[0].message


def test_no_offer_of_the_kind_at_all_says_so() -> None:
    misses = misses_of(a_need(), [an_offer("talk", kind="guest_expert")], [], SETTINGS)
    assert misses.open_offers == 0
    assert (
        misses.misses[0].message == "Er is nog geen open aanbod van de soort bedrijfsstage leraar."
    )
