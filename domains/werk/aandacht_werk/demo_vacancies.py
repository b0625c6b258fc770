"""Generated demo vacancies, workshops and job fairs of a demo tenant's region (Faker, Dutch).

They come in as a feed would (`upsert_items`, by external id), so loading twice changes nothing; they
join the hand-written demo items of `demo.py`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from faker import Faker

from aandacht.personalisation.catalogue import Item, ItemFields, ItemFilter, list_items, upsert_items
from aandacht.tenancy.context import CurrentTenant
from aandacht_werk.attributes import SECTORS
from aandacht_werk.content import JOB_FAIR, VACANCY, WORKSHOP
from aandacht_werk.demo import region_of

#: How many vacancies, workshops and job fairs each demo tenant gets generated.
VACANCIES, WORKSHOPS, JOB_FAIRS = 30, 4, 3
#: Dutch job titles per sector, for last jobs and vacancies.
JOBS = {
    "care": ("Helpende zorg", "Verzorgende IG", "Medewerker huishoudelijke hulp"),
    "retail": ("Verkoopmedewerker", "Vakkenvuller", "Kassamedewerker"),
    "logistics": ("Orderpicker", "Magazijnmedewerker", "Heftruckchauffeur"),
    "hospitality": ("Afwasser", "Medewerker bediening", "Hulpkok"),
    "cleaning": ("Schoonmaker", "Glazenwasser", "Medewerker interieurverzorging"),
    "construction": ("Bouwplaatsmedewerker", "Timmerman", "Stratenmaker"),
    "technology": ("Monteur installatietechniek", "Elektricien", "Onderhoudsmonteur"),
    "green": ("Hovenier", "Medewerker groenvoorziening", "Kassenmedewerker"),
    "production": ("Productiemedewerker", "Inpakker", "Machineoperator"),
    "office": ("Administratief medewerker", "Receptionist", "Medewerker klantenservice"),
    "ict": ("Servicedeskmedewerker", "Junior developer", "ICT-beheerder"),
    "education": ("Onderwijsassistent", "Pedagogisch medewerker", "Overblijfkracht"),
    "security": ("Beveiliger", "Toezichthouder", "Portier"),
    "transport": ("Bezorger", "Vrachtwagenchauffeur", "Taxichauffeur"),
    "sales": ("Telefonisch verkoper", "Medewerker klantcontact", "Winkelmedewerker"),
    "beauty": ("Kapper", "Schoonheidsspecialist", "Nagelstylist"),
    "culture": ("Sportinstructeur", "Medewerker recreatie", "Suppoost"),
    "other": ("Medewerker algemeen", "Klusjesman", "Productiehulp"),
}
_CONTRACTS = ("permanent", "temporary", "temporary", "agency", "agency", "on_call", "traineeship")
_WORKSHOPS = (
    ("cv", "Werkplaats: je cv in één middag", "Samen maak je een cv dat past bij de baan die je wilt."),
    ("interview", "Oefenen voor je sollicitatiegesprek", "Je oefent een gesprek met een echte werkgever."),
    ("letter", "Een korte brief die werkt", "Je schrijft een brief van vijf zinnen. Wij helpen."),
    ("vacancies", "Vacatures vinden op je telefoon", "Je leert zoeken in apps en op websites."),
)


def load_demo_vacancies(
    tenant: CurrentTenant, fake: Faker, chance: random.Random, now: datetime
) -> list[Item]:
    """Add the generated items (those there already are kept); returns every published item of the tenant."""
    region, today = region_of(tenant), now.date()
    rows = []
    for number in range(VACANCIES):
        sector = chance.choice([option.value for option in SECTORS[:-1]])
        employer = fake.company()
        closes = today + timedelta(days=chance.randint(5, 40))
        rows.append(
            ItemFields(
                type=VACANCY.key,
                title=chance.choice(JOBS[sector]),
                summary=f"{employer} zoekt een collega in {region.places[number % len(region.places)]}.",
                body=f"Je werkt bij {employer}. Je wordt ingewerkt. Ervaring is fijn, maar niet nodig.",
                details={
                    "employer": employer,
                    "place": chance.choice(region.places),
                    "hours": chance.choice((16, 20, 24, 32, 36, 38, 40)),
                    "contract": chance.choice(_CONTRACTS),
                    "sector": sector,
                    "closing_date": closes.isoformat(),
                },
                language="nl",
                valid_from=now - timedelta(days=chance.randint(1, 50)),
                external_id=f"demo-gen-vacancy-{number}",
            )
        )
    for number, (topic, title, summary) in enumerate(_WORKSHOPS[:WORKSHOPS]):
        day = today + timedelta(days=chance.randint(4, 30))
        rows.append(
            ItemFields(
                type=WORKSHOP.key,
                title=title,
                summary=summary,
                body=f"In {fake.street_address()}, {region.places[0]}. Koffie en thee staan klaar.",
                details={
                    "topic": topic,
                    "date": day.isoformat(),
                    "place": region.places[0],
                    "time": "13:30 tot 15:30",
                },
                language="nl",
                valid_from=now - timedelta(days=chance.randint(3, 20)),
                external_id=f"demo-gen-workshop-{number}",
            )
        )
    for number in range(JOB_FAIRS):
        day = today + timedelta(days=chance.randint(6, 45))
        place = region.places[number % len(region.places)]
        rows.append(
            ItemFields(
                type=JOB_FAIR.key,
                title=f"Banenmarkt {place}",
                summary=f"Twintig werkgevers uit {region.name} zoeken mensen. Loop binnen en praat mee.",
                body=f"Neem je cv mee, als je dat hebt. Adres: {fake.street_address()}, {place}.",
                details={
                    "kind": "job_fair",
                    "date": day.isoformat(),
                    "place": place,
                    "time": "10:00 tot 16:00",
                },
                language="nl",
                valid_from=now - timedelta(days=chance.randint(3, 20)),
                external_id=f"demo-gen-fair-{number}",
            )
        )
    refused = [result for result in upsert_items(rows) if result.outcome == "refused"]
    if refused:
        raise ValueError(f"generated demo items refused: {refused}")
    _total, items = list_items(ItemFilter(status="published"), limit=1_000)
    return sorted(items, key=lambda item: (item.external_id or "", item.title, item.type))
