"""A case set kept for measuring only (``tests.bench.matcher_quality``), never to tune on: eight
needs and twenty-five offers in Limburg, written as teachers and companies write (Dutch terms on
one side, English or trade words on the other, distractors that share letters or a field), each
need with the offer a coordinator would pick, chosen by reasoning before the matcher ever ran on
them. Its fields differ from the team's teacher-text cases (tests/matcher)."""

from tests.matcher.test_matcher_teacher_texts import need as _need
from tests.matcher.test_matcher_teacher_texts import offer as _offer

OFFERS = [
    # elektriciteit: charging points
    _offer("charge-installer", "3800", "elektriciteit", "Wij installeren wallboxen en charging "
           "stations voor bedrijfsparkings en particulieren, van aansluiting tot oplevering."),
    _offer("newbuild-wiring", "3500", "elektriciteit", "Elektriciteitswerken in nieuwbouw: "
           "bekabeling trekken, schakelaars en stopcontacten plaatsen in appartementen."),
    _offer("loading-docks", "3590", "elektriciteit", "Laadkaaien en sectionaalpoorten: montage "
           "en onderhoud van laadbruggen en poortaandrijvingen voor magazijnen."),
    # koeling-warmte: heat pumps
    _offer("heatpump-co", "3700", "koeling-warmte", "Installer of heat pumps (air-to-water and "
           "geothermal): commissioning, maintenance and repairs at homes."),
    _offer("boiler-service", "3500", "koeling-warmte", "Onderhoud van stookolieketels en "
           "gasketels: verwarmingsinstallaties nakijken, reinigen en afstellen."),
    _offer("cold-rooms", "3520", "koeling-warmte", "Koeltechniek voor supermarkten: koelcellen "
           "en diepvriesinstallaties plaatsen en herstellen."),
    # handel-logistiek: a warehouse
    _offer("warehouse", "3600", "handel-logistiek", "Our distribution centre: warehouse "
           "management system, order picking with hand scanners and inventory control."),
    _offer("haulier", "3500", "handel-logistiek", "Transportbedrijf: planning van vrachtwagens "
           "en ritten, opvolging van chauffeurs en tachografen."),
    _offer("garden-webshop", "3590", "handel-logistiek", "Webshop in tuinartikelen: "
           "klantendienst, online verkoop en marketing van ons magazijn vol planten."),
    # ict: information security
    _offer("secops", "3600", "ict", "Cybersecurity-bedrijf: penetratietesten, SOC-monitoring en "
           "security awareness-trainingen voor kmo's."),
    _offer("printers", "3500", "ict", "Verkoop en onderhoud van printers en kopieertoestellen "
           "in kantoren, met informatica-ondersteuning op locatie."),
    _offer("app-studio", "3590", "ict", "Softwarebedrijf: ontwikkeling van mobiele apps in "
           "Flutter en Kotlin voor retailers."),
    # hout: computer-controlled panel work
    _offer("kitchen-maker", "3700", "hout", "Keukenfabrikant: computergestuurd zagen, boren en "
           "frezen van plaatmateriaal op nesting-machines."),
    _offer("sawmill", "3500", "hout", "Houthandel en zagerij: verkoop van constructiehout, "
           "planken en balken op maat."),
    _offer("stairs", "3520", "hout", "Schrijnwerkerij: trappen en deuren op maat, handwerk en "
           "plaatsing bij de klant."),
    # bouw: retrofit insulation
    _offer("insulation", "3800", "bouw", "Renovatiebedrijf gespecialiseerd in dakisolatie, "
           "spouwmuurisolatie en blowerdoortests."),
    _offer("tiler", "3500", "bouw", "Vloerder: tegels en natuursteen plaatsen in badkamers en "
           "keukens van renovatiewoningen."),
    _offer("shell-builder", "3590", "bouw", "Aannemer nieuwbouw: ruwbouw van woningen, "
           "metselwerk en betonwerken."),
    # voeding: pastry
    _offer("pastry", "3700", "voeding", "Pâtisserie en chocolaterie: ambachtelijke gebakjes, "
           "pralines en croissants."),
    _offer("butcher", "3500", "voeding", "Slagerij met traiteur: bereide gerechten, vleeswaren "
           "en salades voor feesten."),
    _offer("bread-factory", "3520", "voeding", "Industriële broodfabriek: productielijnen voor "
           "toastbrood, kwaliteitscontrole en verpakking."),
    # mechanica: welding bays for a class (the VDAB scheme: ten days per school)
    _offer("vdab-welding", "3500", "mechanica", "VDAB-opleidingscentrum: lasateliers met MIG/MAG- "
           "en TIG-posten voor scholen, lassen oefenen onder begeleiding.",
           kind="infrastructure_access", venue="training_centre", days_limit=10),
    _offer("weld-academy", "3600", "mechanica", "Lasacademie van de sector: lasposten en "
           "begeleiding voor klassen, elektrodelassen en MIG.",
           kind="infrastructure_access", venue="training_centre"),
    _offer("sheet-metal", "3590", "mechanica", "Metaalbedrijf stelt zijn plooibank en "
           "lasersnijmachine open voor scholen.",
           kind="infrastructure_access", venue="company"),
    # elsewhere
    _offer("orchard", "3800", "land-tuinbouw", "Fruitbedrijf: snoeien, oogsten en sorteren van "
           "appels en peren."),
]  # fmt: skip

# (need, the offer a coordinator would pick)
CASES = [
    (_need("charging", "elektriciteit", "Leraar elektriciteit zoekt een bedrijfsstage rond het "
           "plaatsen van laadpalen bij particulieren en bedrijven."), "charge-installer"),
    (_need("heat-pump", "koeling-warmte", "Bedrijfsstage warmtepompen: leraar koeling en "
           "warmte wil meewerken aan het plaatsen en opstarten van lucht-waterwarmtepompen."),
     "heatpump-co"),
    (_need("warehouse", "handel-logistiek", "Stage logistiek: leraar wil zien hoe een magazijn "
           "met een WMS werkt, orderpicking en voorraadbeheer."), "warehouse"),
    (_need("security", "ict", "Leraar informatica wil stage lopen rond informatieveiligheid: "
           "firewalls, back-ups en bewustmaking van personeel."), "secops"),
    (_need("cnc-wood", "hout", "Leraar houtbewerking zoekt stage op een CNC-bewerkingscentrum "
           "voor het frezen van panelen en kasten."), "kitchen-maker"),
    (_need("retrofit", "bouw", "Bedrijfsstage na-isolatie: leraar bouw wil leren hoe daken en "
           "spouwmuren geïsoleerd worden bij renovatie, met luchtdichtheidsmeting."),
     "insulation"),
    (_need("pastry", "voeding", "Stage in een banketbakkerij: leraar voeding wil taarten, "
           "pralines en viennoiserie leren maken."), "pastry"),
    (_need("welding-class", "mechanica", "Onze klas wil twaalf dagen lassen oefenen in een "
           "opleidingscentrum met lasposten.", kind="infrastructure_access", days=12),
     "weld-academy"),
]  # fmt: skip
