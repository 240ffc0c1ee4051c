"""Text is data: ordinary Dutch with punctuation, quotes, markup-like signs and SQL words is
registered and stored as given, end to end through the real broker and intake (issue #9 item 3).
Only control characters are refused."""

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import NeedRow
from shared import topics
from shared.contracts import NeedSubmitted
from tests.builders import need_event
from tests.kafka_io import Received, TopicTail, as_json, produce

DUTCH_TEXTS = (
    "Wij zoeken een stage; update van de software op diagnosetoestellen.",
    "Lassen en snijden --\nslijpen en afwerken",
    "Lassen en snijden --",
    "Select-team van de school: drop-in sessies; create je eigen app!",
    "ICT: SQL-databanken beheren (SELECT, JOIN, GROUP BY) en back-ups; delete oude logs.",
    "exec-team van de afdeling; truncate je planning niet",
    "Voor leerlingen <12 jaar: kennismaking met techniek.",
    "R32/R290 & warmtepompen: nieuwe koelmiddelen in de praktijk",
    'Stage bij \'t Atelier & Co, "hands-on" in de werkplaats',
    "Leerlingen van 5 > 4 uur per week: geen probleem.",
    "Café-uitbating: koffie ☕, gebak 🍰 en service met een glimlach 😊",
    "Coördinatie van de élèves in het naïeve beginjaar — écht leuk!",
    "Onderhoud aan CNC-machines (Heidenhain, Siemens 840D) – 2 weken.",
    "PLC-programmeren: IF x > 10 THEN y := 1; END_IF;",
    "We 'updaten' de oude DROP-kist; insert nieuwe onderdelen.",
    "a' OR '1'='1 is een bekende aanval die we in de les bespreken",
    "Gebruik <b>vet</b> in je verslag? Nee, gewoon platte tekst.",
    "HTML-les: <script> en <div> leren we herkennen, niet uitvoeren.",
    "UNION SELECT-voorbeelden tonen in de les databanken",
    "Lees de handleiding op https://example.org/handleiding?taal=nl&versie=2",
    "Kostprijs: €0; verplaatsing < 40 km; groepjes van 4–6 leerlingen.",
    "Elektriciteit 3de graad: AREI-keuring & installatie (230V/400V).",
    "Werken met \u00abhoogspanning\u00bb: veiligheid eerst!",
    "Tekenen in CAD — 'Fusion 360' & SolidWorks; export naar .stl",
    "Bakkerij: 50% volkoren; 25 % rogge; rest tarwe.",
    "Zorg & welzijn: EHBO-les; reanimatie-oefening -- praktijk",
    "Kapsalon 'Knip & Kleur': stage voor 6de jaars",
    "Logistiek: heftruck-attest (B1/B2); orderpicking met scanner #42",
    "Land- en tuinbouw: serres @ Hoogstraten; tomaten 🍅 & paprika",
    "Grafische media: drukpers Heidelberg; kleurbeheer (CMYK vs. RGB)",
    "Chemie: pH < 7 is zuur; pH > 7 is basisch; -- uitleg in het labo",
    "Horeca: menu's opstellen; allergenen (gluten, lactose) aanduiden.",
    "Mechanica: draaien/frezen, tolerantie ±0,01 mm; meten met een micrometer",
)
NAMES = ("Jan D'hondt", "Ann-Sofie <Peeters>", "'t Schooltje & Co; VZW", "Ëlise Van Den Broeck")


def test_the_texts_are_valid_and_kept_as_given() -> None:
    for text in DUTCH_TEXTS:
        need = NeedSubmitted.model_validate(need_event(title=text[:200], description=text))
        assert (need.title, need.description) == (text[:200].strip(), text.strip())


@pytest.mark.parametrize("field", ["title", "description"])
@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b"])
def test_only_control_characters_are_refused(field: str, control: str) -> None:
    with pytest.raises(ValueError, match="control characters"):
        NeedSubmitted.model_validate(need_event(**{field: f"Stage {control} diagnose"}))


async def test_dutch_texts_are_registered_and_stored_as_given_end_to_end(
    intake: None, db: async_sessionmaker[AsyncSession]
) -> None:
    run = f"text-{uuid.uuid4().hex[:8]}"
    needs = [
        need_event(
            need_id=f"{run}-{i:02d}",
            title=text[:200],
            description=text,
            keywords=[text[:60]],
            contact={"name": NAMES[i % len(NAMES)], "email": "an@school.example"},
            school={
                # no organisation is registered under this number: intake keeps the name sent
                "institution_number": "090909",
                "name": NAMES[(i + 1) % len(NAMES)],
                "postal_code": "3500",
            },
        )
        for i, text in enumerate(DUTCH_TEXTS)
    ]

    def ours(received: list[Received]) -> list[Received]:
        return [m for m in received if (m.key or "").startswith(run)]

    async with TopicTail(topics.NEEDS_REGISTERED, topics.POSTINGS_REJECTED) as tail:
        await produce(topics.NEEDS_SUBMITTED, [(n["need_id"], as_json(n)) for n in needs])
        received = await tail.collect(lambda r: len(ours(r)) >= len(needs))

    assert {m.topic for m in ours(received)} == {topics.NEEDS_REGISTERED}
    async with db() as session:
        rows = await session.scalars(select(NeedRow).where(NeedRow.need_id.like(f"{run}-%")))
        stored = {row.need_id: row.registered for row in rows}
    for need in needs:
        registered = stored[need["need_id"]]
        assert registered["title"] == need["title"].strip()
        assert registered["description"] == need["description"].strip()
        assert registered["contact"]["name"] == need["contact"]["name"]
        assert registered["school"]["name"] == need["school"]["name"]
