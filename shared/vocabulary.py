"""The vocabulary of teachers and companies (``shared/data/vocabulary.json``): which words of a
text name the same thing as words of another, written differently (*PV* and *zonnepanelen*,
*HVAC* and *klimaattechniek*, *lasrobot* and *lassen*).

A term is matched on the Dutch Snowball stems of its words (PyStemmer), so plurals and verb
forms meet; a word that is no term is split into two parts once, where one part is a term of
at least four letters or a term's short form (``parts``), so compounds meet their parts.
The file read is the shipped one, or the one ``VOCABULARY_FILE`` names (read once)."""

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

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
class _Index:
    phrases: dict[tuple[str, ...], int]  # stems of a term's words -> concept number
    parts: dict[str, int]  # stems that may be one part of a compound -> concept number
    not_compounds: frozenset[str]
    concepts: tuple[Concept, ...]


def reload() -> None:
    """Forget the vocabulary read, so the next use reads the file again."""
    for cached in (_index, terms_in, _compound_parts):
        cached.cache_clear()


def concepts() -> tuple[Concept, ...]:
    """Every concept of the vocabulary, in file order."""
    return _index().concepts


@lru_cache(maxsize=2**14)
def terms_in(text: str) -> Mapping[str, str]:
    """The concepts ``text`` names: concept label -> its words as written there (first)."""
    index = _index()
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
        for number in _compound_parts(stems[at]):
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


def _stems(text: str) -> tuple[str, ...]:
    return tuple(_stem(word) for word in _WORD.findall(text))


def _phrase_at(index: _Index, stems: list[str], at: int) -> int:
    """The number of words of the longest term starting at word ``at`` (0: none)."""
    for width in range(min(_LONGEST_PHRASE, len(stems) - at), 0, -1):
        if tuple(stems[at : at + width]) in index.phrases:
            return width
    return 0


@lru_cache(maxsize=2**16)
def _compound_parts(stem: str) -> tuple[int, ...]:
    """The concepts of the two parts of a word that is no term itself, split once where both
    parts are long enough and at least one is a term (or a term's short form)."""
    index = _index()
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


@cache
def _index() -> _Index:
    chosen = Settings().vocabulary_file
    source = (
        Path(chosen) if chosen else resources.files("shared").joinpath("data", "vocabulary.json")
    )
    data = json.loads(source.read_text(encoding="utf-8"))
    phrases: dict[tuple[str, ...], int] = {}
    parts: dict[str, int] = {}
    found = []
    for number, entry in enumerate(data["concepts"]):
        found.append(Concept(label=entry["terms"][0], field=entry["field"]))
        for term in entry["terms"]:
            stems = tuple(_stem(word) for word in _WORD.findall(term))
            phrases.setdefault(stems, number)
            if len(stems) == 1 and len(stems[0]) >= _SHORTEST_SPLIT_TERM:
                parts.setdefault(stems[0], number)
        for part in entry.get("parts", ()):
            parts.setdefault(_stem(part), number)
    return _Index(
        phrases=phrases,
        parts=parts,
        not_compounds=frozenset(_stem(word) for word in data["not_compounds"]),
        concepts=tuple(found),
    )
