"""The demo world as data: schools, providers and the postings they make (fictional organisations).

Names are invented; postal codes are real. A posting template is the content of a need or offer;
``SCHOOLS`` and ``OFFERS`` say who posts which template where.
"""

from typing import NamedTuple


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


NEEDS: dict[str, Template] = {
    "ev": Template(
        "teacher_internship",
        "auto",
        "Bedrijfsstage diagnose elektrische voertuigen",
        "Leraar auto wil meedraaien in een werkplaats voor diagnose van EV en hybrides.",
        ("elektrische voertuigen", "diagnose", "hoogspanning"),
        ("G3",),
    ),
    "plc": Template(
        "teacher_internship",
        "elektromechanica",
        "Bedrijfsstage PLC en automatisering",
        "Leraar elektromechanica wil PLC-programmering in een productielijn leren.",
        ("PLC", "automatisering", "sensoren"),
        ("G3",),
    ),
    "warmtepomp": Template(
        "teacher_internship",
        "koeling-warmte",
        "Bedrijfsstage warmtepompen",
        "Leraar wil de plaatsing en inregeling van warmtepompen zien.",
        ("warmtepomp", "koelmiddelen", "inregelen"),
        ("G3",),
    ),
    "cnc": Template(
        "teacher_internship",
        "mechanica",
        "Bedrijfsstage CNC-frezen en draaien",
        "Leraar mechanica wil werken met moderne CNC-sturingen en CAM-software.",
        ("CNC", "CAM", "frezen"),
        ("G2", "G3"),
    ),
    "bim": Template(
        "teacher_internship",
        "bouw",
        "Bedrijfsstage BIM en digitale werf",
        "Leraar bouw wil zien hoe een aannemer met BIM-modellen en werfplanning werkt.",
        ("BIM", "werfopvolging", "ruwbouw"),
        ("G3",),
    ),
    "serre": Template(
        "teacher_internship",
        "land-tuinbouw",
        "Bedrijfsstage serreteelt",
        "Leraar tuinbouw wil precisieteelt en klimaatsturing in een serre leren.",
        ("serre", "precisielandbouw", "klimaatsturing"),
        ("G3",),
    ),
    "patroon": Template(
        "teacher_internship",
        "mode-textiel",
        "Bedrijfsstage digitaal patroneren",
        "Leraar mode wil digitaal patroneren en snijden in een confectiebedrijf.",
        ("patroneren", "CAD", "confectie"),
        ("G3",),
    ),
    "zorg": Template(
        "pupil_placement",
        "zorg-welzijn",
        "Stageplaatsen in de ouderenzorg",
        "Leerlingen verzorging zoeken stageplaatsen in een woonzorgcentrum.",
        ("ouderenzorg", "verzorging"),
        ("G3",),
    ),
    "keuken": Template(
        "pupil_placement",
        "horeca",
        "Stageplaatsen keuken en zaal",
        "Leerlingen hotel en restaurant zoeken werkplekleren in een keuken.",
        ("keuken", "bediening", "werkplekleren"),
        ("G2", "G3"),
    ),
    "magazijn": Template(
        "pupil_placement",
        "handel-logistiek",
        "Werkplekleren in een magazijn",
        "Duale leerlingen logistiek zoeken een plaats in een distributiecentrum.",
        ("magazijn", "heftruck", "duaal leren"),
        ("G3", "DBSO"),
    ),
    "kapsalon": Template(
        "pupil_placement",
        "haarzorg-schoonheid",
        "Stageplaatsen in een kapsalon",
        "Leerlingen haarzorg zoeken stage in een kapsalon.",
        ("kapsalon", "knippen", "kleuren"),
        ("G2", "G3"),
    ),
    "hybride": Template(
        "equipment_loan",
        "auto",
        "Diagnosetoestel voor hybride wagens lenen",
        "School zoekt een diagnoseset en een lesvoertuig voor een semester.",
        ("diagnoseset", "hybride", "lesvoertuig"),
        ("G3",),
    ),
    "robot": Template(
        "equipment_loan",
        "elektromechanica",
        "Educatieve robotarm voor de klas",
        "Tweede graad wil met een robotarm leren programmeren en automatiseren.",
        ("robotarm", "programmeren"),
        ("G2",),
    ),
    "stemkoffer": Template(
        "equipment_loan",
        "elektriciteit",
        "STEM-koffers elektriciteit",
        "Eerste graad zoekt koffers om veilig met stroomkringen te werken.",
        ("STEM", "stroomkring", "proefjes"),
        ("G1",),
    ),
    "lassen": Template(
        "infrastructure_access",
        "mechanica",
        "Lasatelier gebruiken",
        "Leraar wil met een klas lassen in een goed uitgerust atelier.",
        ("lassen", "MIG", "TIG"),
        ("G3", "SNS"),
    ),
    "labo": Template(
        "infrastructure_access",
        "chemie",
        "Labo procestechniek gebruiken",
        "Klas chemie wil proeven doen op een procesinstallatie op schaal.",
        ("procestechniek", "labo", "destillatie"),
        ("G3",),
    ),
    "cyber": Template(
        "guest_expert",
        "ict",
        "Gastles cybersecurity",
        "Een expert vertelt over phishing, wachtwoorden en ethisch hacken.",
        ("cybersecurity", "netwerken"),
        ("G2", "G3"),
    ),
    "circulair": Template(
        "guest_expert",
        "bouw",
        "Gastexpert circulair bouwen",
        "Een vakman toont hoe je materialen hergebruikt op de werf.",
        ("circulair", "hergebruik", "duurzaam bouwen"),
        ("G1", "G2"),
    ),
    "sport": Template(
        "guest_expert",
        "sport",
        "Gastlessen sportanimatie",
        "Een sportfederatie geeft lessen rond begeleiden van jeugdgroepen.",
        ("sportanimatie", "jeugd"),
        ("G2",),
    ),
    "pers": Template(
        "guest_expert",
        "taal-cultuur",
        "Gastspreker journalistiek",
        "Een journalist geeft les over nieuws schrijven en bronnen checken.",
        ("journalistiek", "media"),
        ("G3",),
    ),
    "ondernemen": Template(
        "replacement_activity",
        "kantoor",
        "Vervangende klasactiviteit ondernemen",
        "Een klas kantoor krijgt een dag rond een eigen minionderneming.",
        ("ondernemen", "minionderneming"),
        ("G2",),
    ),
}

OFFER_TEMPLATES: dict[str, Template] = {
    "ev-werkplaats": Template(
        "teacher_internship",
        "auto",
        "Meedraaien in de EV-werkplaats",
        "Diagnose en onderhoud van elektrische en hybride voertuigen.",
        ("EV", "diagnose", "hoogspanning"),
        (),
    ),
    "productielijn": Template(
        "teacher_internship",
        "elektromechanica",
        "Stage op onze productielijn",
        "Leraren programmeren mee aan PLC's en robots in de fabriek.",
        ("PLC", "robot", "automatisering"),
        (),
    ),
    "hvac": Template(
        "teacher_internship",
        "koeling-warmte",
        "Meelopen met een HVAC-ploeg",
        "Plaatsen en onderhouden van warmtepompen en ventilatie.",
        ("warmtepomp", "ventilatie"),
        (),
    ),
    "cnc-atelier": Template(
        "teacher_internship",
        "mechanica",
        "Stage in ons CNC-atelier",
        "Frezen en draaien op vijfassige machines met CAM-programmatie.",
        ("CNC", "CAM", "verspanen"),
        (),
    ),
    "werf": Template(
        "teacher_internship",
        "bouw",
        "Meedraaien op een bouwwerf met BIM",
        "Werfleiding, BIM-modellen en planning bij een aannemer.",
        ("BIM", "werfleiding"),
        (),
    ),
    "tuinbouw": Template(
        "teacher_internship",
        "land-tuinbouw",
        "Stage in een hightech serre",
        "Teelt met klimaatsturing, sensoren en waterrecuperatie.",
        ("serre", "sensoren"),
        (),
    ),
    "confectie": Template(
        "teacher_internship",
        "mode-textiel",
        "Stage in een confectieatelier",
        "Digitaal patroneren, snijden en produceren in kleine reeksen.",
        ("patroneren", "CAD"),
        (),
    ),
    "woonzorg": Template(
        "pupil_placement",
        "zorg-welzijn",
        "Stageplaatsen woonzorgcentrum",
        "Leerlingen verzorging werken mee in de dagelijkse zorg.",
        ("ouderenzorg", "verzorging"),
        ("G3",),
    ),
    "restaurant": Template(
        "pupil_placement",
        "horeca",
        "Werkplekleren in ons restaurant",
        "Leerlingen draaien mee in keuken en zaal.",
        ("keuken", "bediening"),
        ("G2", "G3"),
    ),
    "distributie": Template(
        "pupil_placement",
        "handel-logistiek",
        "Duaal leren in het magazijn",
        "Orderpicking, voorraadbeheer en heftruck met begeleiding.",
        ("magazijn", "duaal leren"),
        ("G3", "DBSO"),
    ),
    "salon": Template(
        "pupil_placement",
        "haarzorg-schoonheid",
        "Stage in het kapsalon",
        "Leerlingen helpen bij knippen, kleuren en onthaal.",
        ("kapsalon",),
        (),
    ),
    "diagnoseset": Template(
        "equipment_loan",
        "auto",
        "Lesvoertuig met diagnoseset",
        "Een hybride wagen met diagnoseapparatuur, vijf maanden per school.",
        ("diagnoseset", "hybride"),
        (),
        "mobile",
    ),
    "robotkit": Template(
        "equipment_loan",
        "elektromechanica",
        "Robotarmen voor de klas",
        "Vier educatieve robotarmen met lesmateriaal, geleverd op school.",
        ("robotarm", "programmeren"),
        ("G1", "G2"),
        "mobile",
    ),
    "stem-koffers": Template(
        "equipment_loan",
        "elektriciteit",
        "STEM-koffers elektriciteit",
        "Koffers met veilige stroomkringen voor de eerste graad.",
        ("STEM", "stroomkring"),
        ("G1", "G2"),
        "mobile",
    ),
    "lasatelier": Template(
        "infrastructure_access",
        "mechanica",
        "Lasatelier tien dagen",
        "De leraar geeft zelf les in ons lasatelier, gratis.",
        ("lassen", "MIG", "TIG"),
        ("G3", "SNS", "OV3", "DBSO"),
        "training_centre",
    ),
    "procesinstallatie": Template(
        "infrastructure_access",
        "chemie",
        "Procesinstallatie op schaal",
        "Oefenen op een destillatie-installatie in ons opleidingscentrum.",
        ("procestechniek", "destillatie"),
        ("G3", "SNS"),
        "training_centre",
    ),
    "grootkeuken": Template(
        "infrastructure_access",
        "voeding",
        "Professionele keuken gebruiken",
        "Een uitgeruste grootkeuken voor praktijklessen.",
        ("keuken",),
        ("G2", "G3"),
        "training_centre",
    ),
    "cyberexpert": Template(
        "guest_expert",
        "ict",
        "Gastles cybersecurity op school",
        "Een security-consultant geeft een interactieve les.",
        ("cybersecurity", "phishing"),
        (),
        "school",
    ),
    "bouwexpert": Template(
        "guest_expert",
        "bouw",
        "Gastles duurzaam en circulair bouwen",
        "Een vakman van de sector komt naar de klas.",
        ("circulair", "duurzaam bouwen"),
        (),
        "school",
    ),
    "sportcoach": Template(
        "guest_expert",
        "sport",
        "Sportcoach in de klas",
        "Een coach geeft lessen rond jeugdsport begeleiden.",
        ("sportanimatie",),
        (),
        "school",
    ),
    "journalist": Template(
        "guest_expert",
        "taal-cultuur",
        "Journalist op bezoek",
        "Een redacteur geeft les over nieuws en bronnen.",
        ("journalistiek",),
        (),
        "school",
    ),
    "minionderneming": Template(
        "replacement_activity",
        "ondernemerschap",
        "Ondernemerschapsdag in de klas",
        "Terwijl de leraar op stage is, runnen de leerlingen een minionderneming.",
        ("ondernemen", "minionderneming"),
        (),
        "school",
    ),
    "techniekdag": Template(
        "replacement_activity",
        "algemeen",
        "Techniekworkshop als vervanging",
        "Een workshop techniek voor de klas tijdens de bedrijfsstage.",
        ("techniek", "workshop"),
        (),
        "school",
    ),
}

SCHOOLS: tuple[School, ...] = (
    School("vti-antwerpen", "VTI Antwerpen", "2000", ("ev", "plc")),
    School("campus-turnhout", "Campus Kempen Turnhout", "2300", ("cnc", "stemkoffer")),
    School("technicum-mechelen", "Technicum Mechelen", "2800", ("warmtepomp", "lassen")),
    School("instituut-herentals", "Sint-Victorinstituut Herentals", "2200", ("zorg", "kapsalon")),
    School("atheneum-mol", "Atheneum Mol", "2400", ("labo", "cyber")),
    School("campus-geel", "Campus Geel", "2440", ("magazijn", "ondernemen")),
    School("vti-hasselt", "VTI Hasselt", "3500", ("ev", "hybride")),
    School("technicum-genk", "Technicum Genk", "3600", ("plc", "robot")),
    School("campus-tongeren", "Campus Tongeren", "3700", ("serre", "stemkoffer")),
    School("instituut-sint-truiden", "Instituut Sint-Truiden", "3800", ("keuken", "sport")),
    School("atheneum-pelt", "Atheneum Pelt", "3900", ("cnc", "circulair")),
    School("campus-beringen", "Campus Beringen", "3580", ("bim", "lassen")),
    School("vti-gent", "VTI Gent", "9000", ("warmtepomp", "robot")),
    School("technicum-aalst", "Technicum Aalst", "9300", ("patroon", "cyber")),
    School("campus-sint-niklaas", "Campus Waas Sint-Niklaas", "9100", ("labo", "keuken")),
    School("instituut-dendermonde", "Instituut Dendermonde", "9200", ("bim", "circulair")),
    School("atheneum-oudenaarde", "Atheneum Oudenaarde", "9700", ("zorg", "pers")),
    School("campus-eeklo", "Campus Meetjesland Eeklo", "9900", ("serre", "ondernemen")),
    School("vti-leuven", "VTI Leuven", "3000", ("plc", "cyber")),
    School("campus-vilvoorde", "Campus Vilvoorde", "1800", ("ev", "magazijn")),
    School("instituut-tienen", "Instituut Tienen", "3300", ("keuken", "stemkoffer")),
    School("technicum-halle", "Technicum Halle", "1500", ("warmtepomp", "kapsalon")),
    School("atheneum-brussel", "Atheneum Brussel", "1000", ("cyber", "pers")),
    School("campus-aarschot", "Campus Aarschot", "3200", ("cnc", "sport")),
    School("vti-brugge", "VTI Brugge", "8000", ("ev", "lassen")),
    School("technicum-kortrijk", "Technicum Kortrijk", "8500", ("patroon", "robot")),
    School("campus-roeselare", "Campus Roeselare", "8800", ("serre", "labo")),
    School("instituut-oostende", "Instituut Oostende", "8400", ("keuken", "zorg")),
    School("atheneum-ieper", "Atheneum Ieper", "8900", ("bim", "stemkoffer")),
    School("campus-waregem", "Campus Waregem", "8790", ("hybride", "circulair")),
)

PROVIDERS: dict[str, Provider] = {
    "garage-peeters": Provider("Garage Peeters", "company", 412_3456),
    "autohuis-maes": Provider("Autohuis Maes", "company", 426_5119),
    "automatica": Provider("Automatica Industries", "company", 441_7332),
    "klimaat-vlaanderen": Provider("Klimaat Vlaanderen", "company", 501_2887),
    "metaal-jacobs": Provider("Metaalwerken Jacobs", "company", 438_8021),
    "bouw-wouters": Provider("Bouwbedrijf Wouters", "company", 405_1663),
    "serres-declercq": Provider("Serres De Clercq", "company", 470_9225),
    "atelier-mertens": Provider("Confectieatelier Mertens", "company", 612_3900),
    "woonzorg-linde": Provider("Woonzorgcentrum De Linde", "company", 447_0812),
    "brasserie-markt": Provider("Brasserie De Markt", "company", 664_4110),
    "logistiek-vos": Provider("Logistiek Vos", "company", 459_2776),
    "salon-lina": Provider("Kapsalon Lina", "company", 730_1554),
    "secura-it": Provider("Secura IT", "company", 689_0331),
    "agoria": Provider("Agoria", "sector_organisation", 412_0001),
    "constructiv": Provider("Constructiv", "sector_organisation", 420_3771),
    "educam": Provider("Educam", "sector_organisation", 441_7009),
    "co-valent": Provider("Co-valent", "sector_organisation", 458_8204),
    "volta": Provider("Volta", "sector_organisation", 411_0335),
    "alimento": Provider("Alimento", "sector_organisation", 430_1667),
    "sport-vlaanderen": Provider("Sportfederatie Vlaanderen", "sector_organisation", 476_0118),
    "vdab": Provider("VDAB", "training_centre", 887_2092),
    "syntra": Provider("Syntra", "training_centre", 449_9123),
    "mediahuis-opleiding": Provider("Redactieschool Vlaanderen", "training_centre", 657_1229),
}

OFFERS: tuple[OfferLine, ...] = (
    # Companies: internships and placements near their site.
    OfferLine("garage-peeters", "3600", "ev-werkplaats", 2),
    OfferLine("garage-peeters", "3500", "ev-werkplaats", 1),
    OfferLine("autohuis-maes", "2160", "ev-werkplaats", 2),
    OfferLine("autohuis-maes", "8000", "ev-werkplaats", 1),
    OfferLine("autohuis-maes", "1930", "ev-werkplaats", 1),
    OfferLine("automatica", "3600", "productielijn", 2),
    OfferLine("automatica", "2000", "productielijn", 2),
    OfferLine("automatica", "3000", "productielijn", 1),
    OfferLine("klimaat-vlaanderen", "9000", "hvac", 2),
    OfferLine("klimaat-vlaanderen", "2800", "hvac", 1),
    OfferLine("klimaat-vlaanderen", "1500", "hvac", 1),
    OfferLine("metaal-jacobs", "2300", "cnc-atelier", 2),
    OfferLine("metaal-jacobs", "3900", "cnc-atelier", 1),
    OfferLine("metaal-jacobs", "3200", "cnc-atelier", 1),
    OfferLine("bouw-wouters", "3580", "werf", 2),
    OfferLine("bouw-wouters", "9200", "werf", 1),
    OfferLine("bouw-wouters", "8900", "werf", 1),
    OfferLine("serres-declercq", "8800", "tuinbouw", 2),
    OfferLine("serres-declercq", "3800", "tuinbouw", 1),
    OfferLine("serres-declercq", "9900", "tuinbouw", 1),
    OfferLine("atelier-mertens", "8500", "confectie", 1),
    OfferLine("atelier-mertens", "9300", "confectie", 1),
    OfferLine("woonzorg-linde", "2200", "woonzorg", 6),
    OfferLine("woonzorg-linde", "9700", "woonzorg", 4),
    OfferLine("woonzorg-linde", "8400", "woonzorg", 4),
    OfferLine("brasserie-markt", "3800", "restaurant", 3),
    OfferLine("brasserie-markt", "9100", "restaurant", 2),
    OfferLine("brasserie-markt", "3300", "restaurant", 2),
    OfferLine("brasserie-markt", "8400", "restaurant", 2),
    OfferLine("logistiek-vos", "2440", "distributie", 8),
    OfferLine("logistiek-vos", "1800", "distributie", 6),
    OfferLine("salon-lina", "2200", "salon", 2),
    OfferLine("salon-lina", "1500", "salon", 2),
    OfferLine("secura-it", "3000", "cyberexpert", 3),
    OfferLine("secura-it", "9300", "cyberexpert", 2),
    OfferLine("secura-it", "1000", "cyberexpert", 2),
    OfferLine("secura-it", "2400", "cyberexpert", 2),
    # Sector organisations: mobile kits, guest experts, replacement activities.
    OfferLine("educam", "1731", "diagnoseset", 3),
    OfferLine("agoria", "1030", "robotkit", 4),
    OfferLine("volta", "2800", "stem-koffers", 6),
    OfferLine("constructiv", "3500", "bouwexpert", 4),
    OfferLine("constructiv", "9000", "bouwexpert", 4),
    OfferLine("constructiv", "8500", "bouwexpert", 4),
    OfferLine("co-valent", "9100", "procesinstallatie", 2),
    OfferLine("co-valent", "2400", "procesinstallatie", 2),
    OfferLine("alimento", "8800", "grootkeuken", 2),
    OfferLine("sport-vlaanderen", "3800", "sportcoach", 3),
    OfferLine("sport-vlaanderen", "3200", "sportcoach", 2),
    OfferLine("agoria", "2000", "techniekdag", 4),
    OfferLine("agoria", "3500", "techniekdag", 4),
    OfferLine("agoria", "9000", "techniekdag", 4),
    OfferLine("agoria", "3000", "techniekdag", 4),
    OfferLine("agoria", "8500", "techniekdag", 4),
    # Training centres: the VDAB 10-day scheme, Syntra replacement activities, media training.
    OfferLine("vdab", "2800", "lasatelier", 2),
    OfferLine("vdab", "3580", "lasatelier", 2),
    OfferLine("vdab", "8000", "lasatelier", 2),
    OfferLine("vdab", "9000", "grootkeuken", 2),
    OfferLine("syntra", "2440", "minionderneming", 5),
    OfferLine("syntra", "9900", "minionderneming", 5),
    OfferLine("syntra", "3600", "minionderneming", 5),
    OfferLine("syntra", "8800", "minionderneming", 5),
    OfferLine("syntra", "3000", "minionderneming", 5),
    OfferLine("mediahuis-opleiding", "9700", "journalist", 2),
    OfferLine("mediahuis-opleiding", "1000", "journalist", 2),
)
