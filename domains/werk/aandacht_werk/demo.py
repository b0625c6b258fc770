"""Demo data for the werk domain: job-seeker profiles, saved selections, content and interactions.

Deterministic per tenant and person (a seeded random), so `aandacht demo load` gives the same demo
each time, and idempotent: a person who already has werk answers is left alone. About two thirds of
the questions a system may fill are answered, so the demo also shows questions still to ask.

Content: about sixty items per tenant in the places of its region (vacancies, tips, workshops, job
fairs, work abroad), a few items adopted from the platform library, and two months of interactions of
the demo residents that follow their profiles, so the feed has something to learn from and to explain.
"""

from __future__ import annotations

import math
import random
import uuid
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from aandacht.accounts.demo import demo_addresses
from aandacht.accounts.models import Person
from aandacht.accounts.service import all_people, all_staff
from aandacht.db import session, utcnow
from aandacht.personalisation.catalogue import (
    Item,
    ItemFields,
    ItemFilter,
    list_items,
    save_item,
    upsert_items,
)
from aandacht.personalisation.events import MOST_PER_BATCH, Interaction, record
from aandacht.personalisation.feed import profile_tags
from aandacht.personalisation.learning import learn
from aandacht.personalisation.library import adopt
from aandacht.personalisation.models import InteractionEvent
from aandacht.personalisation.registry import content_types_for
from aandacht.profiles.definitions import ProfileAttribute
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import may, profile_values, set_values
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, memberships, save_segment, saved_segments
from aandacht.tenancy.context import CurrentTenant
from aandacht_werk.content import JOB_FAIR, TIP, VACANCY, WORK_ABROAD, WORKSHOP
from aandacht_werk.library_seed import seed_library

#: The external id of each generated demo person starts so (`demo_people`); the loaders here leave them be.
GENERATED = "werk-demo:"


def demo_residents() -> list[Person]:
    """The tenant's people but the generated ones: those the loaders of this module fill in."""
    return [person for person in all_people() if not (person.external_id or "").startswith(GENERATED)]


#: Saved selections a work coach would make first, so the demo's selection list is not empty.
DEMO_SEGMENTS = (
    SegmentFields(
        name="Rijbewijs B en graag buiten",
        description="Voor vacatures in groen, bouw en bezorging.",
        predicate={
            "and": [
                {"attribute": {"key": "werk.driving_licence", "op": "contains_any", "value": ["b"]}},
                {"attribute": {"key": "werk.work_environment", "op": "contains_any", "value": ["outdoors"]}},
            ]
        },
    ),
    SegmentFields(
        name="Klaar voor werk, twee weken stil",
        description="Wie klaar is voor werk maar de app 14 dagen niet gebruikte: even bellen.",
        predicate={
            "and": [
                {"attribute": {"key": "werk.readiness", "op": "gte", "value": 4}},
                {"last_active": {"op": "not_since", "value": {"days_ago": 14}}},
            ]
        },
    ),
)


def load_demo_profiles(tenant: CurrentTenant) -> None:
    """Answer part of the werk questions for every resident of `tenant` that has none yet."""
    fillable = [
        attribute
        for key, attribute in attributes_for(tenant).items()
        if key.startswith("werk.") and attribute.type != "text" and may("system", attribute.editable_by)
    ]
    for person in demo_residents():
        if any(key.startswith("werk.") for key in profile_values(person.id)):
            continue
        chance = random.Random(f"{tenant.slug}:{person.display_name}")  # noqa: S311 - demo data, not secrets
        answers = {a.key: demo_value(a, chance) for a in fillable if chance.random() < 0.65}
        set_values(person.id, answers, source="system", audience="system", detail="demo")


def load_demo_segments() -> None:
    """Save the demo selections that the tenant does not have yet."""
    existing = {segment.name for segment in saved_segments()}
    for fields in DEMO_SEGMENTS:
        if fields.name not in existing:
            save_segment(fields, Viewer.system())


def demo_value(attribute: ProfileAttribute, chance: random.Random) -> Any:
    """A plausible value of `attribute`."""
    if attribute.type == "boolean":
        return chance.random() < 0.5
    if attribute.type == "choice":
        return chance.choice(attribute.option_values)
    if attribute.type == "multiple_choice":
        most = int(attribute.maximum) if attribute.maximum is not None else 3
        return chance.sample(
            attribute.option_values, k=chance.randint(1, min(most, 3, len(attribute.option_values)))
        )
    if attribute.type == "date":
        return (date.today() - timedelta(days=chance.randint(30, 3650))).isoformat()
    low, high = attribute.bounds
    low, high = int(low if low is not None else 0), int(high if high is not None else 40)
    return chance.randint(low, min(high, low + 40))


# --- Content ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """Where a demo tenant's items take place: the region and its towns, the biggest first."""

    name: str
    places: tuple[str, ...]


#: The regions of the demo tenants; any other tenant gets one of them, chosen by its slug.
REGIONS = {
    "enschede": Region("Twente", ("Enschede", "Hengelo", "Almelo", "Oldenzaal", "Borne", "Haaksbergen")),
    "zaanstad": Region(
        "Zaanstreek", ("Zaandam", "Wormerveer", "Krommenie", "Assendelft", "Koog aan de Zaan", "Zaandijk")
    ),
    "deventer": Region("Salland", ("Deventer", "Raalte", "Olst", "Wijhe", "Holten", "Bathmen")),
}


def region_of(tenant: CurrentTenant) -> Region:
    """The region of a demo tenant."""
    if tenant.slug in REGIONS:
        return REGIONS[tenant.slug]
    names = sorted(REGIONS)
    return REGIONS[names[zlib.crc32(tenant.slug.encode()) % len(names)]]


@dataclass(frozen=True)
class DemoItem:
    """One demo item; its words and details are filled in for each tenant.

    `{plaats}` is a town of the region (each vacancy another), `{stad}` its city, `{regio}` its name.
    """

    key: str
    type: str
    title: str
    summary: str
    body: str
    details: Mapping[str, Any]
    #: Days since it was published (its validity starts then).
    age: int
    #: The last day it is shown, in days from today: a vacancy's closing date, an event's date.
    days_left: int | None = None
    tags: tuple[str, ...] = ()
    pinned: bool = False
    priority: str = "normal"
    #: The name of the demo selection whose people may see it (None: everyone).
    segment: str | None = None
    link_url: str | None = None
    status: str = "published"


def _vacancy(
    key: str, title: str, summary: str, body: str, details: Mapping[str, Any], **item: Any
) -> DemoItem:
    return DemoItem(key, VACANCY.key, title, summary, body, {"place": "{plaats}", **details}, **item)


def _event(
    kind: str, key: str, title: str, summary: str, body: str, details: Mapping[str, Any], **item: Any
) -> DemoItem:
    place = {} if details.get("online") else {"place": "{stad}"}
    return DemoItem(key, kind, title, summary, body, {**place, **details}, **item)


DEMO_ITEMS: tuple[DemoItem, ...] = (
    _vacancy(
        "vacature-orderpicker",
        "Orderpicker in het magazijn",
        "Je zet bestellingen klaar in een groot magazijn.",
        "Je haalt producten uit de stellingen. Je zet ze klaar voor de vrachtwagen. Je werkt met een "
        "handscanner. Op je eerste dag legt een collega alles uit.\n\n**Wat krijg je?** Werk via het "
        "uitzendbureau. Na zes maanden kun je in vaste dienst.",
        {
            "employer": "Logistiek Centrum {regio}",
            "sector": "logistics",
            "hours": 38,
            "contract": "agency",
            "requirements": "Je kunt goed tillen. Je bent op tijd. Je kunt in ploegen werken.",
            "salary": "€ 14,40 per uur",
            "environment": "factory",
            "shifts": True,
            "dutch_level": "a2",
        },
        tags=("talent:strength",),
        age=20,
        days_left=25,
    ),
    _vacancy(
        "vacature-heftruckchauffeur",
        "Heftruckchauffeur",
        "Je rijdt op de heftruck en laadt vrachtwagens.",
        "Je laadt en lost vrachtwagens met de heftruck. Je zet pallets op de goede plek. Je werkt in een "
        "klein team.\n\n**Wat krijg je?** Een contract voor een jaar en een toeslag voor de late dienst.",
        {
            "employer": "Distributiecentrum {stad}",
            "sector": "logistics",
            "hours": 40,
            "contract": "temporary",
            "requirements": "Je hebt een heftruckcertificaat. Je werkt netjes en veilig.",
            "salary": "€ 15,10 per uur",
            "certificate": "forklift",
            "environment": "factory",
            "shifts": True,
            "dutch_level": "a2",
        },
        age=8,
        days_left=3,
    ),
    _vacancy(
        "vacature-vrachtwagenchauffeur",
        "Chauffeur vrachtwagen (rijbewijs C)",
        "Je brengt goederen naar winkels in de regio.",
        "Je rijdt elke dag een vaste route langs winkels in {regio}. Je bent 's avonds thuis. Je laadt en "
        "lost zelf met een laadklep.\n\n**Wat krijg je?** Een vast contract en een eigen vrachtwagen.",
        {
            "employer": "Transportbedrijf Van Dijk",
            "sector": "transport",
            "hours": 40,
            "contract": "permanent",
            "requirements": "Je hebt rijbewijs C en code 95.",
            "salary": "€ 2.700 per maand",
            "driving_licence": "c",
            "certificate": "code_95",
            "environment": "on_the_road",
            "dutch_level": "a2",
        },
        age=15,
        days_left=30,
        priority="high",
    ),
    _vacancy(
        "vacature-pakketbezorger",
        "Pakketbezorger in {plaats}",
        "Je bezorgt pakketten met een bestelbus.",
        "Je laadt 's ochtends je bus in. Daarna bezorg je pakketten bij mensen thuis. Je werkt zelfstandig. "
        "Je kiest zelf drie of vier dagen.\n\n**Wat krijg je?** Werk via het uitzendbureau. Je begint snel.",
        {
            "employer": "Snelpost {regio}",
            "sector": "transport",
            "hours": 24,
            "contract": "agency",
            "requirements": "Je hebt rijbewijs B. Je bent vriendelijk tegen klanten.",
            "salary": "€ 13,90 per uur",
            "driving_licence": "b",
            "environment": "on_the_road",
            "dutch_level": "a1",
        },
        tags=("talent:alone",),
        age=5,
        days_left=20,
    ),
    _vacancy(
        "vacature-helpende-zorg",
        "Helpende zorg en welzijn (leren en werken)",
        "Je helpt ouderen in een verpleeghuis en haalt je diploma.",
        "Je helpt bewoners met wassen, aankleden en eten. Je drinkt koffie met ze en maakt een praatje. Eén "
        "dag per week ga je naar school. Na een jaar heb je je diploma Helpende.\n\n**Wat krijg je?** "
        "Salaris tijdens je opleiding. De opleiding is gratis.",
        {
            "employer": "Zorgcentrum De Linde",
            "sector": "care",
            "hours": 28,
            "contract": "traineeship",
            "requirements": "Je werkt graag met mensen. Je spreekt Nederlands op B1-niveau.",
            "salary": "€ 1.900 per maand tijdens de opleiding",
            "environment": "indoors",
            "evenings": True,
            "weekends": True,
            "dutch_level": "b1",
        },
        tags=("talent:caring",),
        age=10,
        days_left=35,
    ),
    _vacancy(
        "vacature-huishoudelijke-hulp",
        "Huishoudelijke hulp bij ouderen thuis",
        "Je maakt het huis schoon bij ouderen die dat zelf niet meer kunnen.",
        "Je fietst van klant naar klant. Je maakt schoon en hebt tijd voor een praatje. Je werkt overdag, "
        "op tijden die bij jou passen.\n\n**Wat krijg je?** Een vast contract. Je kiest je eigen uren.",
        {
            "employer": "Thuiszorg Dichtbij",
            "sector": "care",
            "hours": 16,
            "contract": "permanent",
            "requirements": "Je bent betrouwbaar en werkt graag zelfstandig.",
            "salary": "€ 14,60 per uur",
            "environment": "indoors",
            "dutch_level": "a2",
        },
        tags=("talent:caring", "talent:alone"),
        age=30,
        days_left=14,
    ),
    _vacancy(
        "vacature-schoonmaker-kantoren",
        "Schoonmaker kantoren (avond)",
        "Je maakt 's avonds kantoren schoon. Drie uur per avond.",
        "Je stofzuigt, dweilt en maakt keukens en toiletten schoon. Je werkt van 18.00 tot 21.00 uur. Je "
        "werkt samen met een vaste collega.\n\n**Wat krijg je?** Een vast contract en werkkleding.",
        {
            "employer": "Schoonmaakbedrijf Glans",
            "sector": "cleaning",
            "hours": 12,
            "contract": "permanent",
            "requirements": "Je werkt netjes. Je kunt in de avond werken.",
            "salary": "€ 14,20 per uur",
            "environment": "office",
            "evenings": True,
            "dutch_level": "a1",
        },
        age=18,
        days_left=2,
    ),
    _vacancy(
        "vacature-schoonmaker-ziekenhuis",
        "Schoonmaker in het ziekenhuis",
        "Je zorgt voor schone kamers voor patiënten.",
        "Je maakt patiëntenkamers en gangen schoon. Je werkt volgens vaste regels voor hygiëne. Je krijgt "
        "een korte cursus.\n\n**Wat krijg je?** Een contract voor zes maanden. Daarna kan het vast worden.",
        {
            "employer": "Schoonmaakdienst Medisch Centrum {stad}",
            "sector": "cleaning",
            "hours": 32,
            "contract": "temporary",
            "requirements": "Je werkt precies. Je kunt ook in het weekend werken.",
            "salary": "€ 14,50 per uur",
            "environment": "indoors",
            "shifts": True,
            "weekends": True,
            "dutch_level": "a2",
        },
        tags=("talent:precise",),
        age=25,
        days_left=18,
    ),
    _vacancy(
        "vacature-vakkenvuller",
        "Vakkenvuller in de avond",
        "Je vult 's avonds de schappen in de supermarkt.",
        "Na sluitingstijd vul je de schappen. Je werkt in een gezellig team. Je kiest zelf je "
        "avonden.\n\n**Wat krijg je?** Een oproepcontract. Je werkt wanneer het jou uitkomt.",
        {
            "employer": "Supermarkt Buurtvers",
            "sector": "retail",
            "hours": 12,
            "contract": "on_call",
            "requirements": "Je kunt van 20.00 tot 23.00 uur werken.",
            "salary": "€ 13,70 per uur",
            "environment": "shop",
            "evenings": True,
            "dutch_level": "a1",
        },
        tags=("talent:team",),
        age=3,
        days_left=28,
    ),
    _vacancy(
        "vacature-kassamedewerker",
        "Kassamedewerker supermarkt",
        "Je helpt klanten aan de kassa.",
        "Je rekent af met klanten. Je helpt ze als ze iets zoeken. Je houdt de winkel netjes.\n\n**Wat "
        "krijg je?** Een contract voor een jaar en korting op je boodschappen.",
        {
            "employer": "Supermarkt Buurtvers",
            "sector": "retail",
            "hours": 20,
            "contract": "temporary",
            "requirements": "Je bent vriendelijk. Je kunt op zaterdag werken.",
            "salary": "€ 13,70 per uur",
            "environment": "shop",
            "weekends": True,
            "dutch_level": "a2",
        },
        tags=("talent:people",),
        age=40,
        days_left=10,
    ),
    _vacancy(
        "vacature-bediening",
        "Bediening in het restaurant",
        "Je serveert eten en drinken aan gasten.",
        "Je neemt bestellingen op en brengt eten en drinken. Je zorgt dat gasten het naar hun zin hebben. "
        "Veel gasten komen uit het buitenland.\n\n**Wat krijg je?** Een contract voor een jaar. Je deelt in "
        "de fooi.",
        {
            "employer": "Restaurant De Molen",
            "sector": "hospitality",
            "hours": 24,
            "contract": "temporary",
            "requirements": "Je bent vriendelijk en snel. Een beetje Engels helpt.",
            "salary": "€ 13,90 per uur en fooi",
            "environment": "indoors",
            "language": "en",
            "evenings": True,
            "weekends": True,
            "dutch_level": "a2",
        },
        tags=("talent:people",),
        age=12,
        days_left=21,
    ),
    _vacancy(
        "vacature-keukenhulp",
        "Keukenhulp en afwas",
        "Je helpt in de keuken van een hotel.",
        "Je wast af en houdt de keuken schoon. Je helpt de kok met groente snijden. Je werkt op afroep, "
        "vooral in de avond.\n\n**Wat krijg je?** Een oproepcontract en een maaltijd op je werkdag.",
        {
            "employer": "Hotel {regio}",
            "sector": "hospitality",
            "hours": 20,
            "contract": "on_call",
            "requirements": "Je hebt een HACCP-certificaat, of je wilt het halen.",
            "salary": "€ 13,70 per uur",
            "certificate": "haccp",
            "environment": "indoors",
            "evenings": True,
            "dutch_level": "a1",
        },
        tags=("talent:hands",),
        age=7,
        days_left=24,
    ),
    _vacancy(
        "vacature-hovenier",
        "Hovenier groenonderhoud",
        "Je onderhoudt parken en tuinen in de buitenlucht.",
        "Je maait gras, snoeit struiken en houdt perken netjes. Je rijdt met de bus van klus naar klus. Je "
        "werkt in een team van drie.\n\n**Wat krijg je?** Een contract voor het seizoen, van maart tot "
        "november.",
        {
            "employer": "Groen & Zo",
            "sector": "green",
            "hours": 36,
            "contract": "temporary",
            "requirements": "Je hebt rijbewijs B en een VCA-diploma. Je bent graag buiten.",
            "salary": "€ 14,80 per uur",
            "driving_licence": "b",
            "certificate": "vca",
            "environment": "outdoors",
            "dutch_level": "a2",
        },
        tags=("talent:outdoors",),
        age=9,
        days_left=30,
        priority="high",
        segment="Rijbewijs B en graag buiten",
    ),
    _vacancy(
        "vacature-kwekerij",
        "Medewerker kwekerij",
        "Je verzorgt planten in een kwekerij buiten de stad.",
        "Je zet planten in potten, geeft water en maakt bestellingen klaar. De kwekerij ligt buiten de "
        "stad. Je hebt eigen vervoer nodig.\n\n**Wat krijg je?** Werk via het uitzendbureau, het hele "
        "voorjaar.",
        {
            "employer": "Kwekerij Het Zonnetje",
            "sector": "green",
            "hours": 38,
            "contract": "agency",
            "requirements": "Je werkt graag met je handen. Je hebt een auto of scooter.",
            "salary": "€ 13,70 per uur",
            "own_transport": True,
            "environment": "outdoors",
            "dutch_level": "a1",
        },
        tags=("talent:hands", "talent:outdoors"),
        age=22,
        days_left=16,
    ),
    _vacancy(
        "vacature-productie-voeding",
        "Productiemedewerker voedingsmiddelen",
        "Je werkt aan de lopende band in een voedingsfabriek.",
        "Je controleert producten en pakt ze in. Je houdt je werkplek schoon. Je werkt in drie "
        "ploegen.\n\n**Wat krijg je?** Werk via het uitzendbureau en een toeslag voor ploegendienst.",
        {
            "employer": "Levensmiddelenfabriek Smaakvol",
            "sector": "production",
            "hours": 38,
            "contract": "agency",
            "requirements": "Je werkt netjes en houdt je aan hygiëneregels.",
            "salary": "€ 14,10 per uur plus toeslag",
            "certificate": "haccp",
            "environment": "factory",
            "shifts": True,
            "dutch_level": "a1",
        },
        tags=("talent:precise",),
        age=6,
        days_left=4,
    ),
    _vacancy(
        "vacature-operator",
        "Operator productie",
        "Je bedient machines die kunststof onderdelen maken.",
        "Je stelt machines in en controleert de kwaliteit. Gaat er iets mis? Dan los je het op. Je krijgt "
        "een opleiding van drie maanden.\n\n**Wat krijg je?** Een vast contract en een toeslag voor "
        "ploegendienst.",
        {
            "employer": "Kunststoffen {regio}",
            "sector": "production",
            "hours": 40,
            "contract": "permanent",
            "requirements": "Je hebt interesse in techniek. Je spreekt Nederlands op B1-niveau.",
            "salary": "€ 2.600 per maand plus ploegentoeslag",
            "environment": "factory",
            "shifts": True,
            "dutch_level": "b1",
        },
        tags=("talent:technical",),
        age=35,
        days_left=40,
    ),
    _vacancy(
        "vacature-leerling-monteur",
        "Leerling-monteur installatietechniek",
        "Je leert cv-ketels en warmtepompen plaatsen.",
        "Je werkt mee met een ervaren monteur. Je leert het vak in de praktijk. Eén dag per week ga je naar "
        "school.\n\n**Wat krijg je?** Salaris, een gratis opleiding en een bus van de zaak.",
        {
            "employer": "Installatiebedrijf Warmte & Water",
            "sector": "technology",
            "hours": 36,
            "contract": "traineeship",
            "requirements": "Je hebt rijbewijs B en een VCA-diploma, of je wilt het halen.",
            "salary": "€ 2.200 per maand",
            "driving_licence": "b",
            "certificate": "vca",
            "environment": "on_the_road",
            "dutch_level": "b1",
        },
        tags=("talent:technical", "talent:hands"),
        age=14,
        days_left=45,
    ),
    _vacancy(
        "vacature-bouwplaats",
        "Bouwplaatsmedewerker",
        "Je helpt bij de bouw van nieuwe huizen.",
        "Je sjouwt materiaal, ruimt op en helpt de timmerman. De bouwplaats ligt buiten de stad. Je begint "
        "om 7.00 uur.\n\n**Wat krijg je?** Een contract voor een half jaar en werkkleding.",
        {
            "employer": "Bouwbedrijf Stevig",
            "sector": "construction",
            "hours": 40,
            "contract": "temporary",
            "requirements": "Je hebt een VCA-diploma. Je hebt eigen vervoer.",
            "salary": "€ 14,90 per uur",
            "certificate": "vca",
            "own_transport": True,
            "environment": "outdoors",
            "dutch_level": "a2",
        },
        tags=("talent:strength",),
        age=11,
        days_left=19,
    ),
    _vacancy(
        "vacature-administratie",
        "Administratief medewerker",
        "Je verwerkt post en beantwoordt vragen van huurders.",
        "Je zet brieven en facturen in de computer. Je beantwoordt e-mails van huurders. Je werkt op "
        "kantoor in {plaats}.\n\n**Wat krijg je?** Een contract voor een jaar.",
        {
            "employer": "Woningcorporatie Thuis in {regio}",
            "sector": "office",
            "hours": 24,
            "contract": "temporary",
            "requirements": "Je werkt goed met Word en Excel. Je schrijft goed Nederlands.",
            "salary": "€ 2.300 per maand bij 36 uur",
            "environment": "office",
            "dutch_level": "b2",
        },
        tags=("talent:computers", "talent:organising"),
        age=28,
        days_left=12,
    ),
    _vacancy(
        "vacature-receptionist",
        "Receptionist",
        "Je ontvangt bezoekers en neemt de telefoon op.",
        "Je bent het eerste gezicht van het bedrijvencentrum. Je ontvangt bezoekers en neemt de telefoon "
        "op. Soms spreek je Engels met bezoekers.\n\n**Wat krijg je?** Een contract voor een jaar, overdag.",
        {
            "employer": "Bedrijvencentrum {stad}",
            "sector": "office",
            "hours": 20,
            "contract": "temporary",
            "requirements": "Je bent vriendelijk en netjes. Je spreekt wat Engels.",
            "salary": "€ 14,00 per uur",
            "environment": "office",
            "language": "en",
            "dutch_level": "b1",
        },
        tags=("talent:people",),
        age=16,
        days_left=22,
    ),
    _vacancy(
        "vacature-klantenservice",
        "Klantenservicemedewerker",
        "Je helpt klanten van een energiebedrijf aan de telefoon.",
        "Je beantwoordt vragen over rekeningen en meterstanden. Je krijgt eerst vier weken training. Twee "
        "avonden per week werk je tot 21.00 uur.\n\n**Wat krijg je?** Een contract voor een jaar. Na de "
        "training mag je deels thuis werken.",
        {
            "employer": "Energiebedrijf Stroomop",
            "sector": "sales",
            "hours": 32,
            "contract": "temporary",
            "requirements": "Je spreekt en schrijft goed Nederlands. Je blijft rustig als iemand boos is.",
            "salary": "€ 2.250 per maand bij 36 uur",
            "environment": "office",
            "evenings": True,
            "dutch_level": "b2",
        },
        tags=("talent:people", "talent:computers"),
        age=4,
        days_left=26,
    ),
    _vacancy(
        "vacature-beveiliger",
        "Beveiliger bij evenementen",
        "Je zorgt voor veiligheid bij concerten en wedstrijden.",
        "Je controleert kaartjes en tassen. Je let op of alles rustig blijft. Je werkt vooral in de avond "
        "en in het weekend.\n\n**Wat krijg je?** Een oproepcontract. Je kiest zelf je diensten.",
        {
            "employer": "Beveiliging {regio}",
            "sector": "security",
            "hours": 16,
            "contract": "on_call",
            "requirements": "Je hebt het diploma Beveiliger 2. Je blijft rustig in drukte.",
            "salary": "€ 15,20 per uur",
            "certificate": "security",
            "environment": "outdoors",
            "evenings": True,
            "weekends": True,
            "dutch_level": "b1",
        },
        age=19,
        days_left=15,
    ),
    _vacancy(
        "vacature-pedagogisch-medewerker",
        "Pedagogisch medewerker kinderopvang (leren en werken)",
        "Je zorgt voor jonge kinderen en haalt je diploma.",
        "Je speelt, leest voor en helpt kinderen met eten en slapen. Je werkt in een vast team. Eén dag per "
        "week ga je naar school.\n\n**Wat krijg je?** Salaris tijdens je opleiding. De opleiding is gratis.",
        {
            "employer": "Kinderopvang Kleine Stapjes",
            "sector": "education",
            "hours": 24,
            "contract": "traineeship",
            "requirements": "Je werkt graag met kinderen. Je spreekt Nederlands op B1-niveau.",
            "salary": "€ 1.800 per maand tijdens de opleiding",
            "environment": "indoors",
            "dutch_level": "b1",
        },
        tags=("talent:caring", "talent:creative"),
        age=21,
        days_left=33,
    ),
    _vacancy(
        "vacature-overblijfkracht",
        "Overblijfkracht basisschool",
        "Je let op kinderen in de middagpauze.",
        "Je eet met de kinderen en speelt met ze buiten. Je werkt drie middagen per week, van 12.00 tot "
        "14.00 uur. Handig als je zelf kinderen op school hebt.\n\n**Wat krijg je?** Een oproepcontract, "
        "alleen in schoolweken.",
        {
            "employer": "Basisschool De Regenboog",
            "sector": "education",
            "hours": 6,
            "contract": "on_call",
            "requirements": "Je bent geduldig en houdt van kinderen.",
            "salary": "€ 12,50 per uur",
            "environment": "indoors",
            "dutch_level": "b1",
        },
        tags=("talent:caring",),
        age=2,
        days_left=27,
    ),
    _vacancy(
        "vacature-kappersassistent",
        "Kappersassistent",
        "Je wast haar en helpt in de kapsalon.",
        "Je wast haar, veegt de vloer en zet koffie voor klanten. Je leert knippen van de kapper. Op "
        "zaterdag is het druk.\n\n**Wat krijg je?** Een vast contract en een cursus knippen.",
        {
            "employer": "Kapsalon Knipkunst",
            "sector": "beauty",
            "hours": 24,
            "contract": "permanent",
            "requirements": "Je bent vriendelijk en creatief.",
            "salary": "€ 13,70 per uur",
            "environment": "shop",
            "weekends": True,
            "dutch_level": "a2",
        },
        tags=("talent:creative", "talent:people"),
        age=33,
        days_left=11,
    ),
    _vacancy(
        "vacature-ict-helpdesk",
        "Medewerker ICT-helpdesk",
        "Je helpt collega's met problemen met hun computer.",
        "Je lost storingen op aan de telefoon of aan het bureau. Je installeert laptops. Je werkt met "
        "collega's uit andere landen.\n\n**Wat krijg je?** Een vast contract en cursussen.",
        {
            "employer": "ICT Service {regio}",
            "sector": "ict",
            "hours": 36,
            "contract": "permanent",
            "requirements": "Je weet veel van computers. Je spreekt Nederlands en Engels.",
            "salary": "€ 2.500 per maand",
            "environment": "office",
            "language": "en",
            "dutch_level": "b1",
        },
        tags=("talent:computers", "talent:technical"),
        age=13,
        days_left=29,
    ),
    _vacancy(
        "vacature-sportcentrum",
        "Medewerker sportcentrum",
        "Je ontvangt sporters en houdt het sportcentrum netjes.",
        "Je staat achter de balie en helpt sporters. Je zet materiaal klaar. Bij een ongeluk verleen je "
        "eerste hulp.\n\n**Wat krijg je?** Een contract voor een jaar en gratis sporten.",
        {
            "employer": "Sportpark {stad}",
            "sector": "culture",
            "hours": 20,
            "contract": "temporary",
            "requirements": "Je hebt een EHBO-diploma. Je kunt 's avonds en in het weekend werken.",
            "salary": "€ 13,80 per uur",
            "certificate": "ehbo",
            "environment": "indoors",
            "evenings": True,
            "weekends": True,
            "dutch_level": "a2",
        },
        tags=("talent:people",),
        age=17,
        days_left=20,
    ),
    _vacancy(
        "vacature-buschauffeur",
        "Buschauffeur: wij betalen je opleiding",
        "Je haalt je rijbewijs D bij ons en rijdt daarna lijnbus.",
        "Je krijgt een opleiding van drie maanden. Wij betalen je rijbewijs D. Daarna rijd je op lijnen in "
        "{regio}. Je werkt in diensten, ook in het weekend.\n\n**Wat krijg je?** Salaris tijdens de "
        "opleiding en daarna een vast contract.",
        {
            "employer": "Busvervoer {regio}",
            "sector": "transport",
            "hours": 36,
            "contract": "traineeship",
            "requirements": "Je hebt al twee jaar rijbewijs B. Je bent klantvriendelijk.",
            "salary": "€ 2.400 per maand",
            "driving_licence": "b",
            "environment": "on_the_road",
            "shifts": True,
            "weekends": True,
            "dutch_level": "b1",
        },
        age=1,
        days_left=38,
        priority="high",
    ),
    _vacancy(
        "vacature-werkervaring-magazijn",
        "Werkervaringsplaats magazijn",
        "Je doet werkervaring op in een magazijn, met begeleiding.",
        "Je werkt drie dagen per week in een magazijn. Een werkbegeleider helpt je. Zo bouw je een ritme op "
        "en leer je het vak. Daarna zoeken we samen een baan.\n\n**Wat krijg je?** Je houdt je uitkering en "
        "krijgt een onkostenvergoeding.",
        {
            "employer": "Werkbedrijf {regio}",
            "sector": "logistics",
            "hours": 24,
            "contract": "work_experience",
            "requirements": "Je wilt weer aan het werk. Ervaring is niet nodig.",
            "environment": "factory",
            "dutch_level": "a1",
        },
        tags=("talent:team",),
        age=26,
        days_left=45,
    ),
    _vacancy(
        "vacature-fietsenmaker",
        "Proefplaatsing fietsenmaker",
        "Je repareert fietsen. Past het goed? Dan krijg je een contract.",
        "Je plakt banden, stelt remmen af en zet nieuwe fietsen in elkaar. Je werkt twee maanden op proef. "
        "Je houdt in die tijd je uitkering.\n\n**Wat krijg je?** Na de proefplaatsing een contract voor een "
        "jaar.",
        {
            "employer": "Fietsenwinkel Trapper",
            "sector": "technology",
            "hours": 20,
            "contract": "trial_placement",
            "requirements": "Je bent handig. Ervaring met fietsen is fijn.",
            "environment": "shop",
            "dutch_level": "a2",
        },
        tags=("talent:hands", "talent:technical"),
        age=8,
        days_left=30,
    ),
    DemoItem(
        "tip-cv-werkplein",
        TIP.key,
        "Laat je cv nakijken op het Werkplein",
        "Kom langs zonder afspraak. We kijken samen naar je cv.",
        "Op dinsdag en donderdag van 9.00 tot 12.00 uur kun je zonder afspraak langskomen op het Werkplein "
        "in {stad}. Een medewerker kijkt samen met jou naar je cv.\n\nNeem je cv mee op papier of op je "
        "telefoon. Heb je nog geen cv? Dan maken we het samen.",
        {"topic": "cv", "format": "text", "minutes": 2},
        age=45,
        pinned=True,
    ),
    DemoItem(
        "tip-cv-foto",
        TIP.key,
        "Wel of geen foto op je cv?",
        "Een foto mag, maar hoeft niet. Kies een rustige foto.",
        "Een foto op je cv is niet verplicht. Wil je er wel een? Let dan hierop:\n\n- Kies een recente "
        "foto.\n- Kijk vriendelijk in de camera.\n- Gebruik een rustige achtergrond.\n\nEen vakantiefoto of "
        "selfie past niet op een cv.",
        {"topic": "cv", "format": "checklist", "minutes": 2},
        age=60,
    ),
    DemoItem(
        "tip-brief-eerste-zin",
        TIP.key,
        "De eerste zin van je brief",
        "Begin je brief niet met 'Hierbij solliciteer ik'. Maak het persoonlijk.",
        "Bijna iedereen begint met 'Hierbij solliciteer ik naar…'. Val op met een andere eerste zin. "
        "Schrijf waarom je dit werk wilt doen.\n\nBijvoorbeeld: 'Al tien jaar help ik mijn buurvrouw in "
        "haar tuin. Nu wil ik van mijn hobby mijn werk maken.'",
        {"topic": "letter", "format": "text", "minutes": 2},
        age=50,
    ),
    DemoItem(
        "tip-gesprek-vragen",
        TIP.key,
        "Vijf vragen die je kunt verwachten",
        "Deze vragen komen in bijna elk gesprek. Bereid je antwoord voor.",
        "1. Vertel eens iets over jezelf.\n2. Waarom wil je hier werken?\n3. Wat kun je goed?\n4. Wat vind "
        "je lastig?\n5. Wanneer kun je beginnen?\n\nSchrijf bij elke vraag een kort antwoord op. Oefen het "
        "hardop.",
        {"topic": "interview", "format": "checklist", "minutes": 4},
        age=40,
    ),
    DemoItem(
        "tip-gesprek-video",
        TIP.key,
        "Video: zo ga je een sollicitatiegesprek in",
        "In vijf minuten zie je hoe een gesprek gaat.",
        "In deze korte video zie je een sollicitatiegesprek van begin tot eind. Let op hoe de sollicitant "
        "begint: een hand, een glimlach en een rustige toon.\n\nKijk de video samen met iemand. Praat "
        "erover wat je zelf anders zou doen.",
        {"topic": "interview", "format": "video", "minutes": 5},
        age=35,
    ),
    DemoItem(
        "tip-netwerk-buren",
        TIP.key,
        "Vraag het je buren",
        "Veel mensen vinden werk via iemand die ze kennen.",
        "Vertel je buren, je familie en mensen van je sportclub dat je werk zoekt. Zeg er ook bij wat voor "
        "werk.\n\nMisschien werkt je buurman bij een bedrijf dat mensen zoekt. Zo hoor je eerder van een "
        "vacature.",
        {"topic": "networking", "format": "text", "minutes": 1},
        age=55,
    ),
    DemoItem(
        "tip-linkedin",
        TIP.key,
        "Een LinkedIn-profiel in tien minuten",
        "Werkgevers zoeken ook op LinkedIn. Zo maak je een profiel.",
        "- Maak een account op linkedin.com.\n- Zet er een duidelijke foto bij.\n- Schrijf in één zin welk "
        "werk je zoekt.\n- Zet je werkervaring en opleiding erin.\n- Zet aan dat je open staat voor werk.",
        {"topic": "networking", "format": "checklist", "minutes": 10},
        age=20,
    ),
    DemoItem(
        "tip-vacatures-telefoon",
        TIP.key,
        "Vacatures zoeken op je telefoon",
        "Met een app zie je nieuwe vacatures meteen.",
        "In deze video zie je hoe je met een app vacatures zoekt. Je stelt in wat voor werk je zoekt en "
        "waar. Dan krijg je een melding bij elke nieuwe vacature.\n\nReageer snel: dan heb je meer kans.",
        {"topic": "vacancies", "format": "video", "minutes": 3},
        age=30,
    ),
    DemoItem(
        "tip-kinderopvang",
        TIP.key,
        "Kinderopvang regelen als je gaat werken",
        "Ga je werken? Dan krijg je vaak geld terug voor kinderopvang.",
        "Werk je en gaan je kinderen naar de opvang? Dan kun je kinderopvangtoeslag krijgen. Die vraag je "
        "aan bij de Belastingdienst.\n\nZoek op tijd een opvang: soms is er een wachtlijst. Je coach helpt "
        "je graag.",
        {"topic": "childcare", "format": "text", "minutes": 3},
        age=65,
    ),
    DemoItem(
        "tip-reiskosten",
        TIP.key,
        "Hoe kom je op je werk?",
        "Geen fiets of geen geld voor de bus? Vraag je coach om hulp.",
        "Een baan buiten je eigen stad? Zoek eerst op hoe je er komt en hoe lang het duurt.\n\nHeb je geen "
        "fiets, of geen geld voor de bus in de eerste maand? Vraag je coach wat de gemeente kan doen.",
        {"topic": "transport", "format": "text", "minutes": 2},
        age=42,
    ),
    DemoItem(
        "tip-taalcafe",
        TIP.key,
        "Nederlands oefenen in het taalcafé",
        "Praat elke week Nederlands met andere mensen. Gratis en gezellig.",
        "In het taalcafé in de bibliotheek van {stad} oefen je Nederlands. Vrijwilligers praten met je over "
        "gewone dingen: werk, boodschappen, de buurt.\n\nJe hoeft je niet aan te melden. Kom gewoon langs.",
        {"topic": "language", "format": "text", "minutes": 1},
        age=52,
    ),
    DemoItem(
        "tip-eerste-werkweek",
        TIP.key,
        "Tips voor je eerste werkweek",
        "Concept: nog niet klaar.",
        "Wordt nog geschreven.",
        {"topic": "first_job"},
        age=1,
        status="draft",
    ),
    _event(
        WORKSHOP.key,
        "workshop-cv",
        "Workshop: maak je cv",
        "In twee uur maak je een cv dat je meteen kunt gebruiken.",
        "Je maakt je cv samen met een trainer en andere werkzoekenden. Neem je telefoon of laptop mee. Je "
        "gaat naar huis met een cv dat klaar is.",
        {
            "topic": "cv",
            "time": "10:00 tot 12:00",
            "address": "Werkplein, Marktstraat 12",
            "organiser": "Werkplein {regio}",
            "places": 12,
        },
        age=10,
        days_left=9,
    ),
    _event(
        WORKSHOP.key,
        "workshop-sollicitatiegesprek",
        "Training sollicitatiegesprek",
        "Oefen een gesprek met een echte werkgever.",
        "Je oefent een sollicitatiegesprek met een werkgever uit de buurt. Je krijgt tips over wat goed "
        "ging. Zo ben je minder zenuwachtig bij het echte gesprek.",
        {
            "topic": "interview",
            "time": "13:30 tot 16:00",
            "address": "Werkplein, Marktstraat 12",
            "organiser": "Werkplein {regio}",
            "places": 10,
        },
        age=12,
        days_left=16,
    ),
    _event(
        WORKSHOP.key,
        "workshop-computer",
        "Computercursus voor beginners",
        "Leer in vier lessen e-mailen en formulieren invullen.",
        "In vier lessen leer je de computer gebruiken. Je leert e-mailen, zoeken op internet en een "
        "formulier invullen. Je hebt geen eigen computer nodig.",
        {
            "topic": "digital",
            "time": "9:30 tot 11:30",
            "address": "Bibliotheek {stad}",
            "organiser": "Bibliotheek {stad}",
            "places": 8,
        },
        age=14,
        days_left=6,
    ),
    _event(
        WORKSHOP.key,
        "workshop-taalcafe-werk",
        "Taalcafé: Nederlands op je werk",
        "Oefen de woorden die je op je werk nodig hebt.",
        "Hoe meld je je ziek? Hoe vraag je iets aan een collega? In dit taalcafé oefen je gesprekken op het "
        "werk.",
        {
            "topic": "language",
            "time": "14:00 tot 15:30",
            "address": "Taalhuis {stad}",
            "organiser": "Taalhuis {stad}",
        },
        age=6,
        days_left=4,
    ),
    _event(
        WORKSHOP.key,
        "workshop-linkedin-online",
        "Online workshop: solliciteren met LinkedIn",
        "Doe mee vanaf thuis. Je hebt alleen een telefoon of laptop nodig.",
        "In een uur leer je hoe werkgevers je vinden op LinkedIn. Je doet mee via een videogesprek. Je "
        "krijgt de link een dag van tevoren.",
        {"topic": "networking", "time": "19:30 tot 20:30", "online": True, "organiser": "Werkplein {regio}"},
        age=9,
        days_left=12,
    ),
    _event(
        WORKSHOP.key,
        "workshop-kennismaken-zorg",
        "Kennismaken met werken in de zorg",
        "Is werken in de zorg iets voor jou? Kom kijken.",
        "Je loopt een ochtend mee in een zorgcentrum. Je hoort welke opleidingen er zijn. Je kunt praten "
        "met mensen die er al werken.",
        {
            "topic": "training",
            "time": "9:00 tot 12:00",
            "address": "Zorgcentrum De Linde",
            "organiser": "Zorgcentrum De Linde",
            "places": 15,
            "sector": "care",
        },
        age=8,
        days_left=20,
    ),
    _event(
        WORKSHOP.key,
        "workshop-geld",
        "Grip op je geld als je gaat werken",
        "Wat verandert er aan je geld als je gaat werken?",
        "Je hoort wat er gebeurt met je uitkering en je toeslagen als je gaat werken. Je maakt een "
        "overzicht van je geld. Je mag je eigen vragen stellen.",
        {
            "topic": "money",
            "time": "10:00 tot 11:30",
            "address": "Wijkcentrum De Brug",
            "organiser": "Schuldhulp {stad}",
            "places": 12,
        },
        age=5,
        days_left=23,
    ),
    _event(
        JOB_FAIR.key,
        "banenmarkt",
        "Banenmarkt {regio}",
        "Meer dan veertig werkgevers zoeken nieuwe mensen.",
        "Op de banenmarkt praat je zonder afspraak met werkgevers uit {regio}. Er zijn banen in de zorg, de "
        "logistiek, de techniek en nog veel meer.\n\nNeem een paar cv's mee. Kom gewoon binnenlopen.",
        {"kind": "job_fair", "time": "13:00 tot 17:00", "address": "Evenementenhal, Beursplein 3"},
        age=21,
        days_left=14,
        pinned=True,
        priority="high",
    ),
    _event(
        JOB_FAIR.key,
        "wervingsdag-logistiek",
        "Wervingsdag logistiek",
        "Solliciteer op één dag bij een groot distributiecentrum.",
        "Je krijgt een rondleiding door het magazijn. Daarna heb je een kort gesprek. Past het? Dan kun je "
        "volgende week beginnen.",
        {
            "kind": "recruitment_day",
            "time": "9:00 tot 13:00",
            "address": "Logistiek Centrum {regio}, Havenweg 20",
            "employer": "Logistiek Centrum {regio}",
            "sector": "logistics",
        },
        age=7,
        days_left=8,
    ),
    _event(
        JOB_FAIR.key,
        "open-dag-zorg",
        "Open dag: werken in de zorg",
        "Kijk rond in een zorgcentrum en praat met medewerkers.",
        "Zorgcentrum De Linde zoekt helpenden en leerlingen. Je kijkt rond en praat met medewerkers. Je "
        "hoort alles over leren en werken tegelijk.",
        {
            "kind": "recruitment_day",
            "time": "14:00 tot 17:00",
            "address": "Zorgcentrum De Linde",
            "employer": "Zorgcentrum De Linde",
            "sector": "care",
        },
        age=11,
        days_left=19,
    ),
    _event(
        JOB_FAIR.key,
        "online-banenmarkt",
        "Online banenmarkt",
        "Praat via een videogesprek met werkgevers. Vanaf je bank.",
        "Je kiest vooraf met welke werkgevers je wilt praten. Elk gesprek duurt tien minuten. Je doet mee "
        "met je telefoon of laptop.",
        {"kind": "job_fair", "time": "10:00 tot 15:00", "online": True},
        age=15,
        days_left=11,
    ),
    _event(
        JOB_FAIR.key,
        "speeddaten-techniek",
        "Speeddaten met werkgevers in de techniek",
        "Vijf gesprekken van vijf minuten. Misschien zit je baan ertussen.",
        "Technische bedrijven uit {regio} zoeken monteurs, operators en leerlingen. Je praat vijf minuten "
        "met elke werkgever. Ervaring is niet nodig: ze leiden je op.",
        {
            "kind": "recruitment_day",
            "time": "15:00 tot 18:00",
            "address": "Techniekcentrum, Industrieweg 5",
            "sector": "technology",
        },
        age=4,
        days_left=25,
    ),
    _event(
        JOB_FAIR.key,
        "wervingsdag-schoonmaak",
        "Wervingsdag schoonmaak",
        "Schoonmaakbedrijf Glans zoekt twintig nieuwe collega's.",
        "Je hoort welke diensten er zijn: vroeg, overdag en in de avond. Je kunt meteen een kort gesprek "
        "hebben.",
        {
            "kind": "recruitment_day",
            "time": "10:00 tot 12:00",
            "address": "Werkplein, Marktstraat 12",
            "employer": "Schoonmaakbedrijf Glans",
            "sector": "cleaning",
        },
        age=3,
        days_left=5,
    ),
    DemoItem(
        "buitenland-zorg-duitsland",
        WORK_ABROAD.key,
        "Verzorgende in Duitsland",
        "Duitse zorgcentra zoeken verzorgenden. Je krijgt een taalcursus.",
        "Net over de grens zoeken zorgcentra veel verzorgenden. Je krijgt eerst een cursus Duits. Je kunt "
        "in Nederland blijven wonen als je dichtbij de grens woont.",
        {"country": "de", "language": "de", "sector": "care", "period": "long", "organisation": "EURES"},
        age=40,
    ),
    DemoItem(
        "buitenland-noorwegen-vis",
        WORK_ABROAD.key,
        "Seizoenswerk in Noorwegen: visverwerking",
        "Werk drie maanden in een visfabriek. Je woont bij het bedrijf.",
        "Van januari tot april zoeken visfabrieken in Noorwegen extra mensen. Je maakt vis schoon en pakt "
        "het in. Het werk is zwaar, maar het loon is goed. Je woont in een huis van het bedrijf.",
        {
            "country": "no",
            "language": "en",
            "sector": "production",
            "period": "season",
            "housing": True,
            "organisation": "EURES",
        },
        age=55,
        days_left=40,
    ),
    DemoItem(
        "buitenland-hotel-spanje",
        WORK_ABROAD.key,
        "Zomerwerk in een hotel in Spanje",
        "Werk een zomer in een hotel aan zee. Engels is genoeg.",
        "Hotels in Spanje zoeken voor de zomer schoonmakers, afwassers en hulp in de bediening. Je spreekt "
        "Engels met collega's. Je krijgt een kamer en eten.",
        {
            "country": "es",
            "language": "en",
            "sector": "hospitality",
            "period": "season",
            "housing": True,
            "organisation": "EURES",
        },
        age=30,
    ),
    DemoItem(
        "buitenland-bouw-vlaanderen",
        WORK_ABROAD.key,
        "Bouwvakker in Vlaanderen",
        "In België zoeken bouwbedrijven veel mensen. Je spreekt gewoon Nederlands.",
        "Bouwbedrijven in Vlaanderen zoeken timmerlieden, metselaars en helpers. Op de bouw spreek je "
        "Nederlands. Je gaat elke week heen en weer, of je woont er.",
        {
            "country": "be",
            "language": "nl",
            "sector": "construction",
            "period": "long",
            "organisation": "VDAB",
        },
        age=25,
    ),
    DemoItem(
        "buitenland-magazijn-ierland",
        WORK_ABROAD.key,
        "Magazijnwerk in Ierland",
        "Werk een jaar in een groot magazijn bij Dublin.",
        "Een webwinkel zoekt orderpickers voor een jaar. Je spreekt Engels op het werk. Het bedrijf helpt "
        "je met een kamer zoeken.",
        {"country": "ie", "language": "en", "sector": "logistics", "period": "year", "organisation": "EURES"},
        age=18,
    ),
)
#: How many items each demo tenant adopts from the platform library.
ADOPTED_FROM_LIBRARY = 5


def load_demo_content(tenant: CurrentTenant) -> None:
    """Give `tenant` its demo items and adopt a few library items; those it has already stay as they are.

    Vacancies come in as a vacancy feed would (by external id, no owner); tips, workshops and the rest are
    written by the demo coach, so they show up in the coach's own lists.
    """
    today = utcnow().date()
    region = region_of(tenant)
    segments = {segment.name: segment.id for segment in saved_segments()}
    rows = {
        item.key: demo_fields(item, index, region, today, segments) for index, item in enumerate(DEMO_ITEMS)
    }
    refused = [
        result
        for result in upsert_items([rows[item.key] for item in DEMO_ITEMS if item.type == VACANCY.key])
        if result.outcome == "refused"
    ]
    if refused:
        raise ValueError(f"demo vacancies refused: {refused}")
    coach = _demo_coach(tenant)
    _total, items = list_items(limit=1_000)
    present = {item.external_id for item in items}
    for item in DEMO_ITEMS:
        if item.type != VACANCY.key and rows[item.key].external_id not in present:
            save_item(rows[item.key], owner_id=coach, commit=False)
    session.commit()
    library = seed_library()
    chosen = random.Random(f"{tenant.slug}:library").sample(sorted(library), ADOPTED_FROM_LIBRARY)  # noqa: S311 - demo data
    for key in chosen:
        adopt(library[key], owner_id=coach)


def demo_fields(
    item: DemoItem, index: int, region: Region, today: date, segments: Mapping[str, uuid.UUID]
) -> ItemFields:
    """What the catalogue is given for a demo item in `region` (the index-th item, the index-th town)."""
    words = {
        "plaats": region.places[index % len(region.places)],
        "stad": region.places[0],
        "regio": region.name,
    }
    details = {
        key: value.format(**words) if isinstance(value, str) else value for key, value in item.details.items()
    }
    valid_until = None
    if item.days_left is not None:
        last_day = today + timedelta(days=item.days_left)
        valid_until = _midnight(last_day + timedelta(days=1))
        if item.type == VACANCY.key:
            details["closing_date"] = last_day.isoformat()
        elif item.type in (WORKSHOP.key, JOB_FAIR.key):
            details["date"] = last_day.isoformat()
    return ItemFields(
        type=item.type,
        title=item.title.format(**words),
        summary=item.summary.format(**words),
        body=item.body.format(**words),
        link_url=item.link_url,
        tags=list(item.tags),
        details=details,
        language="nl",
        valid_from=_midnight(today - timedelta(days=item.age)),
        valid_until=valid_until,
        eligibility_segment_id=segments.get(item.segment) if item.segment else None,
        pinned=item.pinned,
        priority=item.priority,
        status=item.status,
        external_id=f"demo-{item.key}",
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _demo_coach(tenant: CurrentTenant) -> uuid.UUID | None:
    address = demo_addresses(tenant)["coach"]
    return next((staff.id for staff in all_staff() if staff.email == address), None)


# --- Interactions ----------------------------------------------------------------------------------------

#: On how many of the last sixty days a demo resident used the app: some never, some almost daily.
ACTIVE_DAYS = (0, 3, 6, 10, 16, 24)
HISTORY_DAYS = 60


def load_demo_interactions(tenant: CurrentTenant, *, now: datetime | None = None) -> int:
    """Two months of feed use by the residents who have no interactions yet; returns how many events.

    Each resident sees the items that suit their profile more often, opens what suits them, now and then
    keeps or applies to the best ones and waves away what does not fit: what a feed would have seen.
    Then the tenant learns from it at once (counts and neighbours), as the nightly job would.
    """
    moment = now or utcnow()
    done = set(session.execute(select(InteractionEvent.person_id).distinct()).scalars())
    people = [person for person in demo_residents() if person.id not in done]
    kinds = content_types_for(tenant)
    _total, found = list_items(ItemFilter(status="published"), limit=1_000)
    items = sorted(found, key=lambda item: (item.external_id or "", item.title))
    features = [kinds[item.type].features(item.tags, item.details) for item in items]
    actionable = {key for key, kind in kinds.items() if str(kind.action)}
    restricted = {item.eligibility_segment_id for item in items} - {None}
    recorded = 0
    for person in people:
        tags = profile_tags(person.id)
        allowed = memberships(restricted, person.id) if restricted else set()
        fit = {
            index: max(-3.0, min(3.0, sum(tags[tag][0] for tag in features[index] if tag in tags)))
            for index, item in enumerate(items)
            if item.eligibility_segment_id is None or item.eligibility_segment_id in allowed
        }
        chance = random.Random(f"{tenant.slug}:{person.display_name}:interactions")  # noqa: S311 - demo data
        interactions = _browse(chance, items, fit, actionable, moment)
        for start in range(0, len(interactions), MOST_PER_BATCH):
            recorded += record(person.id, interactions[start : start + MOST_PER_BATCH])
    if recorded:
        learn(moment)
    return recorded


def _browse(
    chance: random.Random, items: list[Item], fit: Mapping[int, float], actionable: set[str], now: datetime
) -> list[Interaction]:
    """One resident's visits: on each active day a handful of items, better fitting ones more likely."""
    found: list[Interaction] = []
    dismissed: set[int] = set()
    kept: set[int] = set()
    applied: set[int] = set()
    for days_ago in sorted(
        chance.sample(range(1, HISTORY_DAYS + 1), chance.choice(ACTIVE_DAYS)), reverse=True
    ):
        start = (now - timedelta(days=days_ago)).replace(
            hour=chance.randint(8, 20), minute=chance.randint(0, 59)
        )
        shown = [
            index
            for index in fit
            if index not in dismissed
            and (items[index].valid_from is None or items[index].valid_from <= start)
        ]
        # Weighted sampling without replacement (Efraimidis-Spirakis): better fit, more often on screen.
        shown.sort(key=lambda index: -(chance.random() ** (1 / math.exp(fit[index]))))
        for position, index in enumerate(shown[: chance.randint(4, 8)]):
            item, at = items[index], start + timedelta(seconds=40 * position)
            found.append(Interaction("impression", item.id, {"surface": "feed", "position": position}, at))
            if chance.random() < 1 / (1 + math.exp(1.6 - 1.3 * fit[index])):
                found.append(Interaction("open", item.id, {"surface": "feed"}, at + timedelta(seconds=5)))
                if item.link_url and chance.random() < 0.3:
                    found.append(
                        Interaction("click", item.id, {"surface": "item"}, at + timedelta(seconds=30))
                    )
                if index not in kept and chance.random() < 0.12 + 0.08 * max(fit[index], 0.0):
                    kept.add(index)
                    found.append(
                        Interaction("save", item.id, {"surface": "item"}, at + timedelta(seconds=20))
                    )
                if (
                    item.type in actionable
                    and index not in applied
                    and fit[index] > 0.5
                    and chance.random() < 0.2
                ):
                    applied.add(index)
                    found.append(
                        Interaction("apply", item.id, {"surface": "item"}, at + timedelta(seconds=35))
                    )
            elif fit[index] < -0.25 and chance.random() < 0.4:
                dismissed.add(index)
                found.append(Interaction("dismiss", item.id, {"surface": "feed"}, at + timedelta(seconds=5)))
    return found
