"""The vocabulary of teachers and companies (``shared/data/vocabulary.json``): which words of a
text name the same thing as words of another, written differently (*PV* and *zonnepanelen*,
*HVAC* and *klimaattechniek*, *lasrobot* and *lassen*).

A term is matched on the Dutch Snowball stems of its words (PyStemmer), so plurals and verb
forms meet; a word that is no term is split into two parts once, where one part is a term of
at least four letters or a term's short form (``parts``), so compounds meet their parts.
The file read is the shipped one, or the one ``VOCABULARY_FILE`` names (read once): the reviewed
base. Term pairs administrators add (kept by the matcher) are ``install``ed on top of it: a pair
joins the concept either term already names, or makes a concept of its own."""

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import Stemmer

from shared.settings import Settings

_WORD = re.compile(r"\w+")
_LONGEST_PHRASE = 4  # words in the longest term
_SHORTEST_COMPOUND = 7  # letters: shorter words are never split
_SHORTEST_PART = 3  # letters of the smaller part of a split word
_SHORTEST_SPLIT_TERM = 4  # letters of a whole term found inside a compound


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing named in several ways: ``label`` (its first term) and its field code."""

    label: str
    field: str


@dataclass(frozen=True, slots=True)
class TermPair:
    """Two terms an administrator says name the same thing in ``field``."""

    field: str
    term: str
    other: str


@dataclass(frozen=True, slots=True, eq=False)  # cached per index: compared by identity
class _Index:
    phrases: dict[tuple[str, ...], int]  # stems of a term's words -> concept number
    parts: dict[str, int]  # stems that may be one part of a compound -> concept number
    not_compounds: frozenset[str]
    concepts: tuple[Concept, ...]


_added: tuple[TermPair, ...] = ()  # installed on top of the file
_current: _Index | None = None  # the index in use (None: build it at the next use)


def install(pairs: Sequence[TermPair]) -> None:
    """Match with the file's vocabulary and ``pairs`` from now on: the new index replaces the
    old one at once, so a text is read wholly under one or the other."""
    global _added, _current
    _added = tuple(pairs)
    _current = _built(_file(), _added)
    _forget_texts()


def reload() -> None:
    """Forget the vocabulary read, so the next use reads the file again (with the pairs
    installed)."""
    global _current
    _file.cache_clear()
    _current = None
    _forget_texts()


def _forget_texts() -> None:
    for cached in (_terms_in, _compound_parts):
        cached.cache_clear()


def concepts() -> tuple[Concept, ...]:
    """Every concept of the vocabulary, in file order."""
    return _index().concepts


def terms_in(text: str) -> Mapping[str, str]:
    """The concepts ``text`` names: concept label -> its words as written there (first)."""
    return _terms_in(_index(), text)


def same_concept(term: str, other: str) -> bool:
    """Whether the vocabulary reads both terms as one concept (or they are written alike)."""
    return written_alike(term, other) or bool(terms_in(term).keys() & terms_in(other).keys())


@lru_cache(maxsize=2**14)
def _terms_in(index: _Index, text: str) -> Mapping[str, str]:
    words = list(_WORD.finditer(text))
    stems = [_stem(word.group()) for word in words]
    found: dict[str, str] = {}
    at = 0
    while at < len(words):
        width = _phrase_at(index, stems, at)
        if width:
            concept = index.concepts[index.phrases[tuple(stems[at : at + width])]]
            found.setdefault(concept.label, text[words[at].start() : words[at + width - 1].end()])
            at += width
            continue
        for number in _compound_parts(index, stems[at]):
            found.setdefault(index.concepts[number].label, words[at].group())
        at += 1
    return MappingProxyType(found)  # cached: shared by every caller


def matched_terms(need_text: str, offer_text: str) -> list[tuple[str, str]]:
    """The concepts both texts name, as (the need's words, the offer's words): those written
    differently first, then in the need's order."""
    need, offer = terms_in(need_text), terms_in(offer_text)
    pairs = [(need[label], offer[label]) for label in need if label in offer]
    return sorted(pairs, key=lambda pair: written_alike(*pair))


def written_alike(words: str, other: str) -> bool:
    """Whether two texts write the same words, up to case, accents and endings (stems)."""
    return _stems(words) == _stems(other)


def stemmed(texts: Sequence[str]) -> list[str]:
    """Each text with every word replaced by its Dutch Snowball stem (texts already in lower
    case without accents; what is between words stays as it is). The distinct words of all
    texts are stemmed in one call."""
    distinct = list({word for text in texts for word in _WORD.findall(text)})
    stems = dict(zip(distinct, _stemmer().stemWords(distinct), strict=True))
    return [_WORD.sub(lambda word: stems[word.group()], text) for text in texts]


def _stems(text: str) -> tuple[str, ...]:
    return tuple(_stem(word) for word in _WORD.findall(text))


def _phrase_at(index: _Index, stems: list[str], at: int) -> int:
    """The number of words of the longest term starting at word ``at`` (0: none)."""
    for width in range(min(_LONGEST_PHRASE, len(stems) - at), 0, -1):
        if tuple(stems[at : at + width]) in index.phrases:
            return width
    return 0


@lru_cache(maxsize=2**16)
def _compound_parts(index: _Index, stem: str) -> tuple[int, ...]:
    """The concepts of the two parts of a word that is no term itself, split once where both
    parts are long enough and at least one is a term (or a term's short form)."""
    if len(stem) < _SHORTEST_COMPOUND or stem in index.not_compounds:
        return ()
    for split in range(_SHORTEST_PART, len(stem) - _SHORTEST_PART + 1):
        head, tail = index.parts.get(stem[:split]), index.parts.get(_stem(stem[split:]))
        if head is not None or tail is not None:
            return tuple(dict.fromkeys(n for n in (head, tail) if n is not None))
    return ()


@lru_cache(maxsize=2**16)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(_normal(word)))


def _normal(text: str) -> str:
    """Lower case without accents (as the character n-grams see text)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def _index() -> _Index:
    global _current
    index = _current
    if index is None:
        index = _current = _built(_file(), _added)
    return index


@cache
def _file() -> dict[str, Any]:
    """The reviewed base: the shipped file, or the one ``VOCABULARY_FILE`` names."""
    chosen = Settings().vocabulary_file
    source = (
        Path(chosen) if chosen else resources.files("shared").joinpath("data", "vocabulary.json")
    )
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return data


def _built(data: dict[str, Any], added: Sequence[TermPair]) -> _Index:
    phrases: dict[tuple[str, ...], int] = {}
    parts: dict[str, int] = {}
    found = []

    def name(number: int, term: str) -> None:
        stems = _stems(term)
        phrases.setdefault(stems, number)
        if len(stems) == 1 and len(stems[0]) >= _SHORTEST_SPLIT_TERM:
            parts.setdefault(stems[0], number)

    for number, entry in enumerate(data["concepts"]):
        found.append(Concept(label=entry["terms"][0], field=entry["field"]))
        for term in entry["terms"]:
            name(number, term)
        for part in entry.get("parts", ()):
            parts.setdefault(_stem(part), number)
    for pair in added:
        known = [
            phrases[stems] for stems in map(_stems, (pair.term, pair.other)) if stems in phrases
        ]
        number = known[0] if known else len(found)
        if not known:
            found.append(Concept(label=pair.term, field=pair.field))
        name(number, pair.term)
        name(number, pair.other)
    return _Index(
        phrases=phrases,
        parts=parts,
        not_compounds=frozenset(_stem(word) for word in data["not_compounds"]),
        concepts=tuple(found),
    )
