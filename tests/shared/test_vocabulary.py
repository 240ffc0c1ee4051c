"""The vocabulary finds the terms teachers and companies write for the same thing."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared import vocabulary
from shared.taxonomy import field_domains
from shared.vocabulary import concepts, matched_terms, terms_in


@pytest.mark.parametrize(
    ("need", "offer", "expected"),
    [
        ("Stage rond een PV-installatie", "Wij plaatsen zonnepanelen", ("PV", "zonnepanelen")),
        ("Onderhoud HVAC-systemen", "Vakman klimaattechniek", ("HVAC", "klimaattechniek")),
        ("Computergestuurd frezen", "CNC-werkplaats", ("Computergestuurd frezen", "CNC")),
        (
            "Lessen over PLC",
            "Programmable logic controllers",
            ("PLC", "Programmable logic controllers"),
        ),
        ("Leraar lassen", "Wij bouwen een lasrobot", ("lassen", "lasrobot")),
        ("Draaibanken in de klas", "Onze draaibank", ("Draaibanken", "draaibank")),
    ],
)
def test_words_written_differently_meet_in_one_concept(
    need: str, offer: str, expected: tuple[str, str]
) -> None:
    assert matched_terms(need, offer)[0] == expected


def test_a_compound_names_each_of_its_parts() -> None:
    assert set(terms_in("Een lasrobot programmeren")) >= {"lassen", "robot"}
    assert "zonnepanelen" in terms_in("Onderhoud van zonnepaneleninstallaties")


def test_words_that_only_look_like_a_compound_name_nothing() -> None:
    assert terms_in("Lasagne maken is lastig") == {}
    assert terms_in("een week meedraaien in de werkplaats") == {}


@pytest.mark.parametrize(
    "text",
    [
        "Leraar koeling en warmte zoekt stage",
        "Stage logistiek",
        "Leraar houtbewerking",
        "Leraar haarzorg",
        "Leraar hotel",
        "Verkoop en herstelling",
    ],
)
def test_a_field_s_own_name_or_a_word_of_every_trade_names_no_concept(text: str) -> None:
    """The field's closeness already counts the field; a concept must set a trade apart."""
    assert terms_in(text) == {}


@pytest.mark.parametrize(
    ("need", "offer"),
    [
        ("Stage in een banketbakkerij", "Industriële broodfabriek"),
        ("Meelopen met zorgkundigen", "Gastles van verpleegkundigen"),
        ("Stage op een offsetpers", "Drukkerij van spandoeken"),
    ],
)
def test_two_trades_of_one_field_are_two_concepts(need: str, offer: str) -> None:
    assert matched_terms(need, offer) == []


def test_terms_written_alike_come_after_those_written_differently() -> None:
    pairs = matched_terms("Diagnose van EV's met PLC", "PLC en diagnose van elektrische auto's")

    assert pairs[0] == ("EV's", "elektrische auto")
    assert set(pairs[1:]) == {("Diagnose", "diagnose"), ("PLC", "PLC")}


def test_accents_case_and_punctuation_do_not_matter() -> None:
    assert terms_in("FOTOVOLTAISCH; zonne-energie!") == {"zonnepanelen": "FOTOVOLTAISCH"}


def test_every_concept_belongs_to_a_field_of_the_taxonomy() -> None:
    known = set(field_domains())

    assert {concept.field for concept in concepts()} <= known
    assert len({concept.label for concept in concepts()}) == len(concepts())


def test_text_that_looks_like_code_is_only_text() -> None:
    assert terms_in("<script>alert('PLC')</script>; SELECT * FROM offers -- SQL") == {
        "PLC": "PLC",
        "databanken": "SQL",
    }


@pytest.fixture
def own_vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A vocabulary file an administrator wrote, named by VOCABULARY_FILE; the shipped one
    again afterwards."""
    path = tmp_path / "vocabulary.json"
    monkeypatch.setenv("VOCABULARY_FILE", str(path))
    yield path
    monkeypatch.delenv("VOCABULARY_FILE")
    vocabulary.reload()


def test_an_administrator_adds_terms_without_a_release(own_vocabulary: Path) -> None:
    concept = {"field": "voeding", "terms": ["bakkerij", "boulangerie", "broodbakker"]}
    own_vocabulary.write_text(
        json.dumps({"not_compounds": [], "concepts": [concept]}), encoding="utf-8"
    )

    vocabulary.reload()

    assert matched_terms("Stage in een boulangerie", "Ambachtelijke broodbakker") == [
        ("boulangerie", "broodbakker")
    ]
    assert terms_in("PV-installatie") == {}


@pytest.fixture
def installed() -> Iterator[None]:
    """Pairs installed by the test; the file alone again afterwards."""
    yield
    vocabulary.install(())


def test_an_added_pair_joins_the_concept_one_of_its_terms_names(installed: None) -> None:
    assert matched_terms("Stage zonnepanelen", "Wij plaatsen zonnecellen") == []

    vocabulary.install([vocabulary.TermPair("elektriciteit", "zonnecellen", "PV")])

    assert matched_terms("Stage zonnepanelen", "Wij plaatsen zonnecellen") == [
        ("zonnepanelen", "zonnecellen")
    ]


def test_an_added_pair_of_new_terms_is_a_concept_of_its_own_until_it_is_removed(
    installed: None,
) -> None:
    vocabulary.install([vocabulary.TermPair("voeding", "boulangerie", "broodbakker")])
    assert matched_terms("Stage in een boulangerie", "Ambachtelijke broodbakkers") == [
        ("boulangerie", "broodbakkers")
    ]
    assert vocabulary.same_concept("Boulangerie", "broodbakker")

    vocabulary.install(())

    assert matched_terms("Stage in een boulangerie", "Ambachtelijke broodbakkers") == []
    assert not vocabulary.same_concept("boulangerie", "broodbakker")
