"""Needs and offers written as teachers and companies write them (abbreviations, English terms,
compounds, plurals), each need with the offer a coordinator would pick: that offer comes first,
whichever arrives last. The cases are the failure classes of issue 27, written by the team."""

from dataclasses import dataclass, replace
from typing import Any

import pytest

from services.matcher.domain import NeedProfile, OfferProfile, StoredState
from services.matcher.engine import Matcher
from tests.matcher.builders import SETTINGS, a_need, an_offer, ranked_for


def offer(offer_id: str, postal_code: str, field: str, text: str, **changes: Any) -> OfferProfile:
    return an_offer(offer_id, postal_code, field=field, text=text, **changes)


OFFERS = [
    # elektriciteit
    offer("solar-installer", "3600", "elektriciteit", "Installateur zonnepanelen: plaatsing op "
          "daken, aansluiten van de omvormer en oplevering met keuring."),
    offer("panel-builder", "3500", "elektriciteit", "Industriële elektrische installaties: "
          "schakelkasten bouwen en installaties bekabelen in fabrieken."),
    offer("smart-homes", "3500", "elektriciteit", "Installatie van verlichting en KNX in "
          "nieuwbouwwoningen, installaties opleveren."),
    # koeling-warmte
    offer("hvac-team", "3600", "koeling-warmte", "Our HVAC service team: installation and "
          "maintenance of heat pumps and air conditioning for homes."),
    offer("bathrooms", "3500", "koeling-warmte", "Renovatie van badkamers en plaatsing van "
          "condensatieketels: wij werken mee aan het onderhoud van de woning."),
    # mechanica
    offer("cnc-shop", "3600", "mechanica", "CNC-frezen van precisieonderdelen op 5-assige "
          "machines; onze operators programmeren in Heidenhain."),
    offer("smithy", "3500", "mechanica", "Smederij en sierhekwerk: smeden, plooien en afwerken "
          "van hekken en trappen, programma op maat."),
    offer("welding-shop", "3500", "mechanica", "Laswerkplaats: MIG/MAG- en TIG-lassen van "
          "staalconstructies."),
    # elektromechanica
    offer("automation", "3600", "elektromechanica", "Wij ontwerpen sturingen met Siemens S7 en "
          "TIA Portal en bouwen cobotcellen voor productielijnen."),
    offer("lift-service", "3500", "elektromechanica", "Storingsdienst voor liften en roltrappen: "
          "storingen oplossen in de productie van onze klanten, automatische deuren."),
    # auto
    offer("ev-workshop", "3600", "auto", "Werkplaats: diagnose, herstelling en onderhoud van "
          "elektrische voertuigen, hoogspanningsbatterijen vervangen."),
    offer("showroom", "3600", "auto", "Showroom elektrische wagens: verkoop en proefritten met "
          "de nieuwste elektrische wagens van ons merk."),
    # ict
    offer("it-services", "3600", "ict", "IT-dienstverlener: beheer van Cisco-netwerken, routing "
          "en switching, firewalls en informatieveiligheid voor kmo's."),
    offer("web-agency", "3500", "ict", "Webbureau: ontwikkeling van websites, webshops en "
          "configuratie van hosting voor informatica-bedrijven."),
    # infrastructure_access: the VDAB scheme allows ten days per school
    offer("vdab-ten-days", "3500", "mechanica", "VDAB 10-dagenregeling: lesgeven in ons "
          "opleidingscentrum op draaibanken, freesmachines en CNC-machines.",
          kind="infrastructure_access", venue="training_centre", days_limit=10),
    offer("open-workshop", "3600", "mechanica", "Scholen gebruiken onze werkplaats met "
          "conventionele machines, draaien en frezen onder begeleiding.",
          kind="infrastructure_access", venue="company"),
    # replacement_activity: both providers come to the school
    offer("metal-day", "3200", "mechanica", "Het sectorfonds komt naar de school: een dag "
          "metaalbewerking en lassen met de klas.",
          kind="replacement_activity", venue="school"),
    offer("business-day", "3500", "ondernemerschap", "Dag rond ondernemerschap: de klas "
          "bedenkt een mini-onderneming en pitcht het idee.",
          kind="replacement_activity", venue="school"),
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    """A need as a teacher writes it and the offer a coordinator would accept."""

    need: NeedProfile
    best: str


def need(need_id: str, field: str, text: str, **changes: Any) -> NeedProfile:
    return a_need(need_id, "3500", field=field, text=text, grades=frozenset(), **changes)


CASES = [
    Case(need("pv", "elektriciteit", "Bedrijfsstage PV-installaties: leraar elektriciteit wil "
              "meewerken bij het plaatsen van PV-panelen en omvormers."), "solar-installer"),
    Case(need("hvac", "koeling-warmte", "Stage klimaattechniek: mee op de baan voor het "
              "onderhoud van warmtepompen en airco's."), "hvac-team"),
    Case(need("cnc", "mechanica", "Leraar mechanica zoekt stage computergestuurd frezen en "
              "het programmeren van de machine."), "cnc-shop"),
    Case(need("plc", "elektromechanica", "Stage industriële automatisering: PLC-programmatie en "
              "robotcellen in de productie."), "automation"),
    Case(need("ev", "auto", "Bedrijfsstage herstellen van EV's: leraar auto wil diagnose leren "
              "stellen op elektrische wagens."), "ev-workshop"),
    Case(need("network", "ict", "Stage netwerkbeheer en cybersecurity: leraar informatica wil "
              "switches en firewalls configureren."), "it-services"),
    Case(need("machines", "mechanica", "Onze leerlingen werken vijftien dagen op draaibanken en "
              "freesmachines in een opleidingscentrum.",
              kind="infrastructure_access", days=15), "open-workshop"),
    Case(need("replacement", "mechanica", "Vervangende activiteit voor de klas metaal terwijl "
              "de leraar op bedrijfsstage is: lassen of plaatbewerking.",
              kind="replacement_activity", max_distance_km=60.0), "metal-day"),
]  # fmt: skip


def ranked(case: Case, arrival: str) -> list[str]:
    """The offers suggested for the case's need, best first, when ``arrival`` says which
    comes last: the need, or the offers one by one."""
    return ranked_for(case.need, OFFERS, arrival)


@pytest.mark.parametrize("arrival", ["need_last", "offers_last"])
@pytest.mark.parametrize("case", CASES, ids=[case.need.need_id for case in CASES])
def test_the_offer_a_coordinator_would_pick_comes_first(case: Case, arrival: str) -> None:
    assert ranked(case, arrival)[0] == case.best


def test_the_ten_day_offer_is_not_suggested_for_fifteen_days() -> None:
    [machines] = [case for case in CASES if case.need.need_id == "machines"]

    assert "vdab-ten-days" not in ranked(machines, "need_last")
    assert "vdab-ten-days" in ranked(
        replace(machines, need=replace(machines.need, days=10)), "need_last"
    )


def test_the_explanation_names_the_terms_written_differently() -> None:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=OFFERS))
    [pv] = [case for case in CASES if case.need.need_id == "pv"]

    [first, *_] = matcher.register_need(pv.need).suggested

    assert first.offer_id == "solar-installer"
    assert first.explanation.endswith(", termen: PV ~ zonnepanelen; omvormers.")
