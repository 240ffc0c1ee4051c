"""The demo world as data: schools, providers and the postings they make (fictional organisations).

The data live in ``catalogue.json`` next to this module (package data); this module loads and
checks them into the typed tuples below. Names are invented; postal codes are real. A posting
template is the content of a need or offer; ``SCHOOLS`` and ``OFFERS`` say who posts which
template where.
"""

from importlib import resources
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict


class Template(NamedTuple):
    """What a need or offer asks or gives; ``grades`` empty on an offer means any grade."""

    kind: str
    field: str
    title: str
    description: str
    keywords: tuple[str, ...]
    grades: tuple[str, ...]
    venue: str = "company"


class School(NamedTuple):
    """A school, where it is, and the need templates it posts."""

    slug: str
    name: str
    postal_code: str
    needs: tuple[str, ...]


class Provider(NamedTuple):
    """A company, sector organisation or training centre; ``number`` is the KBO number without
    its leading 0 and two check digits (they are computed)."""

    name: str
    type: str
    number: int


class OfferLine(NamedTuple):
    """One offer: which provider posts which template from which site, with what capacity."""

    provider: str
    postal_code: str
    template: str
    capacity: int


class Catalogue(BaseModel):
    """The whole file: strict JSON types (arrays become the tuples), no unknown keys."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    needs: dict[str, Template]
    offer_templates: dict[str, Template]
    schools: tuple[School, ...]
    providers: dict[str, Provider]
    offers: tuple[OfferLine, ...]

    def check(self) -> "Catalogue":
        """Raise ValueError when a school or offer line names a template or provider not there."""
        missing = [
            f"school {school.slug}: need {key}"
            for school in self.schools
            for key in school.needs
            if key not in self.needs
        ]
        for number, line in enumerate(self.offers, start=1):
            if line.provider not in self.providers:
                missing.append(f"offer {number}: provider {line.provider}")
            if line.template not in self.offer_templates:
                missing.append(f"offer {number}: template {line.template}")
        if missing:
            raise ValueError("the demo catalogue names what it lacks: " + "; ".join(missing))
        return self


def load(text: str | None = None) -> Catalogue:
    """The catalogue from ``text`` (JSON), by default from the packaged ``catalogue.json``."""
    if text is None:
        text = resources.files(__package__).joinpath("catalogue.json").read_text(encoding="utf-8")
    return Catalogue.model_validate_json(text).check()


_CATALOGUE = load()
NEEDS: dict[str, Template] = _CATALOGUE.needs
OFFER_TEMPLATES: dict[str, Template] = _CATALOGUE.offer_templates
SCHOOLS: tuple[School, ...] = _CATALOGUE.schools
PROVIDERS: dict[str, Provider] = _CATALOGUE.providers
OFFERS: tuple[OfferLine, ...] = _CATALOGUE.offers
