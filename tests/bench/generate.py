"""Generated needs and offers of realistic shape: Flemish postal codes, STEM-heavy fields,
grade 3-heavy offers, school-year periods and Dutch-ish titles."""

import random
from datetime import date, timedelta

from services.demo.world import school_year
from services.matcher.domain import NeedProfile, OfferProfile
from shared.taxonomy import field_domains, places

KIND_WEIGHTS = {
    "teacher_internship": 3,
    "pupil_placement": 3,
    "equipment_loan": 1,
    "replacement_activity": 1,
    "infrastructure_access": 1,
    "guest_expert": 1,
}
STEM = ["auto", "bouw", "hout", "elektriciteit", "mechanica", "elektromechanica", "chemie", "ict"]
TOPICS = {
    "auto": ["elektrische voertuigen", "diagnose", "hoogspanning", "banden", "carrosserie"],
    "bouw": ["ruwbouw", "metselwerk", "bekisting", "dakwerken", "BIM"],
    "hout": ["schrijnwerkerij", "CNC houtbewerking", "meubelmaker", "trappen"],
    "elektriciteit": ["domotica", "zonnepanelen", "laagspanning", "KNX", "laadpalen"],
    "mechanica": ["lassen", "CNC draaien", "frezen", "plaatbewerking", "metaal"],
    "elektromechanica": ["PLC", "industriële automatisering", "robotica", "pneumatica"],
    "chemie": ["procesoperator", "kunststoffen", "labo-analyse", "petrochemie"],
    "ict": ["netwerken", "programmeren", "cyberveiligheid", "cloud"],
}
TITLES = {
    "teacher_internship": "Bedrijfsstage {topic}",
    "pupil_placement": "Stageplaatsen {topic}",
    "equipment_loan": "Uitlening toestellen {topic}",
    "replacement_activity": "Vervangende klasactiviteit {topic}",
    "infrastructure_access": "Opleidingscentrum {topic}",
    "guest_expert": "Gastles {topic}",
}


def school_year_start(today: date) -> date:
    """The Monday of the week the coming school year starts (1 September): the same weekday every
    year, so working-day counts and hence the workload do not change with the date of the run."""
    first = school_year(today)[0]
    return first - timedelta(days=first.weekday())


SCHOOL_YEAR = school_year_start(date.today())


class Generator:
    """Seeded generator of open needs and offers."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._places = list(places().values())
        self._fields = [field for field, domain in field_domains().items() if domain]

    def needs(self, count: int, prefix: str = "need") -> list[NeedProfile]:
        """``count`` open needs."""
        return [self._need(f"{prefix}-{number}") for number in range(count)]

    def offers(self, count: int, prefix: str = "offer") -> list[OfferProfile]:
        """``count`` open offers."""
        return [self._offer(f"{prefix}-{number}") for number in range(count)]

    def _need(self, need_id: str) -> NeedProfile:
        kind, field, place = self._kind(), self._field(), self._random.choice(self._places)
        start, end = self._period(weeks=(2, 16))
        return NeedProfile(
            need_id=need_id, kind=kind, field=field,
            grades=frozenset(self._random.sample(["G1", "G2", "G3", "G3", "SNS", "OV3"], 2)),
            start=start, end=end, days=self._random.randint(1, 10),
            quantity=self._random.randint(1, 4), latitude=place.latitude,
            longitude=place.longitude, rtc_region=place.rtc_region,
            max_distance_km=float(self._random.choice([20, 30, 40, 50, 60])),
            text=self._text(kind, field, "Onze school zoekt"),
        )  # fmt: skip

    def _offer(self, offer_id: str) -> OfferProfile:
        kind, place = self._kind(), self._random.choice(self._places)
        cross_domain = kind == "replacement_activity" and self._random.random() < 0.5
        field = (
            self._random.choice(["ondernemerschap", "algemeen"]) if cross_domain else self._field()
        )
        start, end = self._period(weeks=(4, 40))
        eligible = ["G3", "G3", "SNS", "G2", "DBSO", "OV3", "G1"]
        grades = (
            frozenset()
            if self._random.random() < 0.5
            else frozenset(eligible[: self._random.randint(1, 4)])
        )
        capacity, venue = self._random.randint(1, 10), self._random.random()
        return OfferProfile(
            offer_id=offer_id, kind=kind, field=field, grades=grades, start=start, end=end,
            capacity_left=capacity, latitude=place.latitude,
            longitude=place.longitude, rtc_region=place.rtc_region,
            venue="mobile" if venue < 0.05 else "school" if venue < 0.15 else "company",
            text=self._text(kind, field, "Ons bedrijf biedt"),
            # The VDAB scheme: at most ten days per school.
            days_limit=10 if kind == "infrastructure_access" else 0,
        )  # fmt: skip

    def _kind(self) -> str:
        return self._random.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]

    def _field(self) -> str:
        return (
            self._random.choice(STEM)
            if self._random.random() < 0.7
            else self._random.choice(self._fields)
        )

    def _period(self, weeks: tuple[int, int]) -> tuple[date, date]:
        start = SCHOOL_YEAR + timedelta(days=self._random.randint(0, 250))
        return start, start + timedelta(weeks=self._random.randint(*weeks))

    def _text(self, kind: str, field: str, opening: str) -> str:
        topics = TOPICS.get(field, [field.replace("-", " "), "praktijk", "werkplek"])
        chosen = self._random.sample(topics, min(2, len(topics)))
        title = TITLES[kind].format(topic=chosen[0])
        return f"{title}. {opening} een praktijkgerichte ervaring rond {' en '.join(chosen)}."
