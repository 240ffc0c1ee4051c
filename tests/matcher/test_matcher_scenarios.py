"""Hand-built scenarios with an obvious best answer, and the explanation a coordinator reads."""

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import (
    CountVectorizer,
    TfidfVectorizer,
    strip_accents_unicode,
)

from services.matcher.domain import NeedProfile, OfferProfile, StoredState
from services.matcher.engine import Matcher
from services.matcher.text import CONCEPT_WEIGHT, TextModel, concept_feature, ngram_counts
from shared.vocabulary import stemmed, terms_in
from tests.bench.generate import Generator
from tests.builders import NEED_START
from tests.matcher.builders import SETTINGS, a_need, an_offer

KM_PER_DEGREE_OF_LATITUDE = 111.2
EV_WORKSHOP = an_offer(
    "ev-workshop-genk",
    "3600",
    text="Werkplaats elektrische voertuigen: diagnose en onderhoud van EV en hybride wagens, "
    "hoogspanning veilig werken",
)
CHEMICAL_PLANT = an_offer(
    "chemical-plant-antwerp",
    "2000",
    field="chemie",
    text="Chemische procesindustrie: procesoperator in een petrochemische fabriek",
)
FAR_GARAGE = an_offer(
    "garage-aalst",
    "9300",
    text="Garage: diagnose elektrische voertuigen en hoogspanning, onderhoud EV",
)
MECHATRONICS_HASSELT = an_offer(
    "mechatronics-hasselt",
    "3500",
    field="elektromechanica",
    text="Industriële automatisering met PLC in een productiebedrijf",
)


def matcher_with(*offers: OfferProfile) -> Matcher:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=offers))
    return matcher


def test_hasselt_automotive_teacher_gets_the_genk_ev_workshop_first() -> None:
    matcher = matcher_with(CHEMICAL_PLANT, FAR_GARAGE, MECHATRONICS_HASSELT, EV_WORKSHOP)

    changes = matcher.register_need(a_need())

    assert [s.offer_id for s in changes.suggested] == ["ev-workshop-genk", "mechatronics-hasselt"]
    assert [s.rank for s in changes.suggested] == [1, 2]
    assert changes.withdrawn == []


def test_suggestion_carries_distance_region_components_and_explanation() -> None:
    matcher = matcher_with(EV_WORKSHOP)

    [suggestion] = matcher.register_need(a_need()).suggested

    assert suggestion.distance_km == 12.1
    assert suggestion.rtc_region == "Limburg"
    assert set(suggestion.components) == {
        "distance",
        "field",
        "text",
        "grade",
        "period",
        "capacity",
        "region",
    }
    assert all(0.0 <= value <= 1.0 for value in suggestion.components.values())
    assert suggestion.components["field"] == 1.0
    assert 0.0 < suggestion.score <= 1.0
    assert suggestion.explanation == (
        "Zelfde vakgebied (auto), 12 km, open voor alle graden, "
        "periode overlapt 5 van 5 werkdagen, "
        "termen: diagnose; elektrische voertuigen; hoogspanning."
    )


def test_explanation_names_related_field_matching_grades_and_short_capacity() -> None:
    offer = an_offer(
        "pupil-places",
        field="mechanica",
        grades=frozenset({"G2", "G3"}),
        capacity_left=2,
        kind="pupil_placement",
    )
    need = a_need(kind="pupil_placement", grades=frozenset({"G3"}), quantity=4, days=10)
    matcher = matcher_with(offer)

    [suggestion] = matcher.register_need(need).suggested

    assert suggestion.explanation == (
        "Verwant vakgebied (mechanica bij auto), 12 km, derde graad past, "
        "periode overlapt 10 van 10 werkdagen, capaciteit 2 van 4."
    )


def test_explanation_of_a_mobile_cross_domain_loan_instead_of_a_workshop() -> None:
    offer = an_offer(
        "syntra-bus",
        "8000",
        kind="infrastructure_access",
        field="ondernemerschap",
        venue="mobile",
    )
    need = a_need(kind="equipment_loan")
    matcher = matcher_with(offer)

    [suggestion] = matcher.register_need(need).suggested

    assert suggestion.explanation.startswith(
        "Toegang tot infrastructuur in plaats van uitlening van materiaal, "
        "aanbod voor elk vakgebied (ondernemerschap), wordt geleverd ("
    )


def test_dutch_compounds_meet_through_character_ngrams() -> None:
    plc = an_offer("plc", field="elektromechanica", text="Stage elektromechanische installaties")
    bakery = an_offer("bakery", field="elektromechanica", text="Bakkerij met broodovens en deeg")
    need = a_need(field="elektromechanica", text="Leraar elektromechanica zoekt bedrijfsstage")
    matcher = matcher_with(plc, bakery)

    by_offer = {s.offer_id: s for s in matcher.register_need(need).suggested}

    assert by_offer["plc"].components["text"] > 2 * by_offer["bakery"].components["text"]
    assert by_offer["plc"].rank == 1


def test_same_rtc_region_breaks_a_tie_in_distance() -> None:
    need = a_need(postal_code="3290")  # Deurne (Vlaams-Brabant): Zonhoven and Aarschot ~20 km
    limburg = an_offer("in-limburg", "3520")
    brabant = an_offer("in-brabant", "3200")
    matcher = matcher_with(limburg, brabant)

    suggested = matcher.register_need(need).suggested

    assert [s.offer_id for s in suggested] == ["in-brabant", "in-limburg"]
    by_offer = {s.offer_id: s for s in suggested}
    assert (
        by_offer["in-brabant"].components["region"] == by_offer["in-brabant"].components["distance"]
    )
    assert by_offer["in-limburg"].components["region"] == 0.0


def test_the_region_bonus_never_outweighs_a_clear_difference_in_distance() -> None:
    """A school near a region border: the other region's offer 11 km nearer comes first."""
    need = a_need(postal_code="3290")  # Deurne (Vlaams-Brabant)
    hasselt = an_offer("hasselt", "3500")  # Limburg, 22 km
    leuven = an_offer("leuven", "3000")  # Vlaams-Brabant, 33 km
    matcher = matcher_with(leuven, hasselt)

    assert [s.offer_id for s in matcher.register_need(need).suggested] == ["hasselt", "leuven"]


def north_of(offer: OfferProfile, need: NeedProfile, km: float, region: str) -> OfferProfile:
    """``offer`` moved to ``km`` due north of the need's school, in RTC ``region``."""
    return replace(
        offer,
        latitude=need.latitude + km / KM_PER_DEGREE_OF_LATITUDE,
        longitude=need.longitude,
        rtc_region=region,
    )


@pytest.mark.parametrize(("farther_km", "first"), [(3.0, "own-region"), (8.0, "other-region")])
def test_the_own_region_counts_as_region_km_nearer(farther_km: float, first: str) -> None:
    """A school near a region border: an offer of its own region comes first when it lies
    less than ``region_km`` farther than the other region's, never when it lies more."""
    need = a_need(postal_code="3290")  # Deurne (Vlaams-Brabant)
    other = north_of(an_offer("other-region"), need, 20.0, "Limburg")
    own = north_of(an_offer("own-region"), need, 20.0 + farther_km, need.rtc_region)
    matcher = matcher_with(other, own)

    assert SETTINGS.region_km == 5.0
    assert matcher.register_need(need).suggested[0].offer_id == first


def test_text_decides_between_fit_offers_a_few_kilometres_apart() -> None:
    """Two otherwise equal offers 3 and 15 km from the school: the one whose text is closer
    to the need's (hybrid cars) comes first, though farther."""
    need = a_need(text="Leraar auto zoekt stage: onderhoud en diagnose van hybride wagens")
    near = an_offer("near", text="Garage: onderhoud en diagnose van wagens")
    far = an_offer("far", text="Werkplaats voor hybride wagens en hun diagnose")
    matcher = matcher_with(
        north_of(near, need, 3.0, need.rtc_region), north_of(far, need, 15.0, need.rtc_region)
    )

    assert [s.offer_id for s in matcher.register_need(need).suggested] == ["far", "near"]


def test_distance_hardly_matters_for_a_provider_that_comes_to_the_school() -> None:
    """A replacement activity in the class's own field 35 km away beats a general
    entrepreneurship day next door: both providers come to the school."""
    need = a_need(
        kind="replacement_activity", text="Vervangende les lassen en plaatbewerking", days=5
    )
    own_field = an_offer(
        "welding-day", "3200", kind="replacement_activity", venue="school",
        text="Workshop lassen in de klas",
    )  # fmt: skip
    entrepreneurship = an_offer(
        "business-day", "3500", kind="replacement_activity", venue="school",
        field="ondernemerschap", text="Dag ondernemerschap in de klas",
    )  # fmt: skip
    matcher = matcher_with(entrepreneurship, own_field)

    suggested = matcher.register_need(replace(need, max_distance_km=60.0)).suggested

    assert [s.offer_id for s in suggested] == ["welding-day", "business-day"]
    welding = suggested[0]
    assert welding.distance_km > 30
    assert welding.components["distance"] > 0.95


def test_expiry_withdraws_suggestions_of_ended_offers() -> None:
    short = an_offer("short", end=NEED_START + timedelta(days=19))
    matcher = matcher_with(short, EV_WORKSHOP)
    matcher.register_need(a_need())

    changes = matcher.expire(NEED_START + timedelta(days=28))

    assert [(w.offer_id, w.reason) for w in changes.withdrawn] == [("short", "expired")]
    assert [s.offer_id for s in matcher.suggestions("need-hasselt")] == ["ev-workshop-genk"]


# Texts naming no term of the vocabulary: their rows are character n-grams alone.
TEXTS = ["elektromechanica motoren", "elektromechanische installaties", "deeg kneden en rijzen"]


def stemmed_text(text: str) -> str:
    """scikit-learn's preprocessing (lower case, accents stripped), then each word stemmed."""
    return stemmed([strip_accents_unicode(text.lower())])[0]


def fitted_text_model() -> tuple[TextModel, sparse.csr_matrix, sparse.csr_matrix]:
    """A text model fitted on ``TEXTS``, their term rows and scikit-learn's TF-IDF rows."""
    model = TextModel()
    terms = model.terms(TEXTS)
    model.refit(terms)
    reference = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=stemmed_text
    ).fit_transform(TEXTS)
    return model, terms, reference


def test_pair_similarity_is_scikit_learns_tf_idf_cosine_for_every_pair() -> None:
    model, terms, reference = fitted_text_model()
    queries, rows = np.array([0, 0, 1, 2, 1]), np.array([1, 2, 0, 2, 1])

    pairs = (queries, rows)
    similarity = model.pair_similarity(model.queries(terms), terms, model.norms(terms), pairs)

    expected = (reference @ reference.T).toarray()[queries, rows]
    assert similarity == pytest.approx(expected, abs=1e-5)


def test_one_query_meets_every_row_as_several_queries_do() -> None:
    """One need scored alone (its own path, no sparse product) gets the cosines it gets among
    others; a row without any term (an empty text) meets it at 0."""
    model, terms, reference = fitted_text_model()
    with_empty = sparse.vstack([terms, model.terms([""])], format="csr")
    norms = model.norms(with_empty)
    rows = np.array([2, 0, 3, 1, 1])
    cosines = (reference @ reference.T).toarray()

    for query in range(len(TEXTS)):
        alone = model.queries(terms[[query]])
        similarity = model.pair_similarity(alone, with_empty, norms, (np.zeros(5, int), rows))

        expected = [cosines[query, row] if row < len(TEXTS) else 0.0 for row in rows]
        assert similarity == pytest.approx(expected, abs=1e-5)


ODD_TEXTS = [
    "Elektromechanica\tPLC  stuurtechniek\n\nen   robotica",
    "Café in Brüssel: ‘crème brûlée’ — één œuvre, ﬁjne ligaturen",
    "a",
    "",
    "   ",
    "ab cd efg",
    "<script>alert('x')</script> SELECT * FROM offers; -- 😀 𝔘nicode",
    "Ελληνικά и кириллица 中文字符",
]


def test_term_rows_count_the_char_wb_ngrams_of_scikit_learn_for_any_text() -> None:
    """Whitespace of every kind, accents, ligatures, code-like text, scripts beyond Latin and
    empty texts: each text's n-grams and their counts are scikit-learn's char_wb ones of the
    text with its words stemmed (*omvormers* and *omvormer* alike), hashed
    to other columns (rows are compared through their products with each other, and on many
    generated texts through their totals, which hash collisions leave unchanged)."""
    texts = ODD_TEXTS + [offer.text for offer in Generator(4).offers(300)]
    reference = CountVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), preprocessor=stemmed_text
    ).fit_transform(texts)
    counts = ngram_counts(texts)

    odd = slice(len(ODD_TEXTS))
    expected = (reference[odd] @ reference[odd].T).toarray()
    assert (counts[odd] @ counts[odd].T).toarray() == pytest.approx(expected, rel=1e-5)
    totals = counts.sum(axis=1).A1
    assert totals == pytest.approx(reference.sum(axis=1).A1, rel=1e-5)
    assert expected.diagonal()[3:5].tolist() == [0, 0]  # blank texts have no n-gram


def test_term_rows_add_each_named_concept_to_the_ngrams() -> None:
    """*PV* and *zonnepanelen* share no n-gram but one feature: the concept both name."""
    need, offer = "Stage PV-installatie", "Wij plaatsen zonnepanelen"

    rows = TextModel().terms([need, offer])

    ngrams = ngram_counts([need, offer])
    ngrams.data = 1 + np.log(ngrams.data)
    feature = concept_feature("zonnepanelen")
    assert (rows - ngrams).toarray()[:, feature].tolist() == [CONCEPT_WEIGHT, CONCEPT_WEIGHT]
    assert (rows - ngrams).nnz == 2


def test_term_rows_add_every_concept_a_text_names_whatever_their_order() -> None:
    """Several concepts in one text (their features in any order) each add their weight once,
    as they do one by one."""
    texts = ["Zonnepanelen, PLC en laadpalen", "laadpalen en PLC", "PLC"]
    named = [terms_in(text) for text in texts]
    assert len(named[0]) >= 2  # the test needs a text naming several concepts

    rows = TextModel().terms(texts)

    ngrams = ngram_counts(texts)
    ngrams.data = 1 + np.log(ngrams.data)
    added = (rows - ngrams).toarray()
    for row, labels in enumerate(named):
        features = {concept_feature(label) for label in labels}
        assert np.flatnonzero(added[row]).tolist() == sorted(features)
        assert added[row, sorted(features)].tolist() == [CONCEPT_WEIGHT] * len(features)


def test_inflected_words_share_their_ngrams() -> None:
    """A plural, a verb form and a noun: the words meet on their stems (Snowball)."""
    rows = ngram_counts(["Omvormers", "omvormer", "Herstellen", "herstelling"])

    shared = (rows @ rows.T).toarray()
    assert shared[0, 1] == shared[0, 0] == shared[1, 1]
    assert shared[2, 3] == shared[2, 2] == shared[3, 3]
