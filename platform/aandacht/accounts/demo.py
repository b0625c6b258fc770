"""Demo accounts for a tenant: an administrator, a team lead, two coaches and residents in caseloads.

Loaded by `aandacht demo load` (idempotent: accounts that exist are left alone). Every demo account
has the password `DEMO_PASSWORD`; demo staff share one authenticator secret, and
`aandacht demo code` prints its current code, so the demo needs no phone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache

import pyotp
from sqlalchemy import select

from aandacht.accounts import service
from aandacht.accounts.models import Person, StaffMember
from aandacht.accounts.secrets import hash_password, seal
from aandacht.db import session, utcnow
from aandacht.tenancy.context import CurrentTenant

DEMO_PASSWORD = "demo-aandacht"  # noqa: S105 - printed in the README for the demo on one's own machine
#: The authenticator secret of every demo staff account (base32).
DEMO_TOTP_SECRET = "AANDACHTDEMOAANDACHTDEMO"  # noqa: S105 - demo accounts only; production refuses demo codes
RESIDENTS = [
    "Fatima El Amrani",
    "Jan de Boer",
    "Sanne Jansen",
    "Mohamed Yilmaz",
    "Petra Visser",
    "Kees Bakker",
    "Aisha Bouzid",
    "Henk Smit",
    "Lisa Mulder",
    "Tom de Graaf",
    "Marja Kok",
    "Ricardo Santos",
]


def demo_code() -> str:
    """The current authenticator code of the demo staff accounts."""
    return pyotp.TOTP(DEMO_TOTP_SECRET).now()


def demo_addresses(tenant: CurrentTenant) -> dict[str, str]:
    """The e-mail address of each demo role in `tenant`."""
    return {
        "tenant_admin": f"beheer@{tenant.slug}.demo",
        "team_lead": f"teamleider@{tenant.slug}.demo",
        "coach": f"coach@{tenant.slug}.demo",
        "coach_2": f"coach2@{tenant.slug}.demo",
        "resident": resident_address(tenant, RESIDENTS[0]),
    }


def load_demo_accounts(tenant: CurrentTenant) -> None:
    """Create the demo accounts of `tenant` (in context) where they do not exist yet."""
    addresses = demo_addresses(tenant)
    staff = {
        role: demo_staff(addresses[role], name, "coach" if role.startswith("coach") else role)
        for role, name in (
            ("tenant_admin", "Beheerder Demo"),
            ("team_lead", "Teamleider Demo"),
            ("coach", "Coach Demo"),
            ("coach_2", "Tweede Coach Demo"),
        )
    }
    people = [_resident(name, resident_address(tenant, name)) for name in RESIDENTS]
    half = len(people) // 2
    service.assign_to_caseload(staff_id=staff["coach"].id, person_ids=[p.id for p in people[: half + 1]])
    service.assign_to_caseload(staff_id=staff["coach_2"].id, person_ids=[p.id for p in people[half:]])


def resident_address(tenant: CurrentTenant, name: str) -> str:
    """The e-mail address of the demo resident `name` in `tenant`."""
    return f"{name.lower().replace(' ', '.')}@{tenant.slug}.demo"


@cache
def demo_password_hash() -> str:
    """The hash of `DEMO_PASSWORD`, made once: every demo account shares it, so a demo load hashes once."""
    return hash_password(DEMO_PASSWORD)


def demo_staff(email: str, name: str, role: str) -> StaffMember:
    """The demo staff member with this address, made (password and authenticator included) if missing.

    Domains use it for demo staff of their own, such as extra coaches with caseloads.
    """
    existing = session.execute(select(StaffMember).where(StaffMember.email == email)).scalar_one_or_none()
    if existing is not None:
        return existing
    staff = service.create_staff(display_name=name, email=email, role=role)
    staff.password_hash = demo_password_hash()
    staff.totp_secret = seal(DEMO_TOTP_SECRET)
    session.commit()
    return staff


def _resident(name: str, email: str) -> Person:
    existing = session.execute(select(Person).where(Person.email == email)).scalar_one_or_none()
    if existing is not None:
        return existing
    person = service.create_person(display_name=name, email=email)
    person.password_hash = demo_password_hash()
    person.last_active_at = _demo_last_active(email)
    session.commit()
    return person


def _demo_last_active(email: str) -> datetime | None:
    """A varied, repeatable last use of the app: some residents recently, some weeks ago, some never."""
    days = random.Random(email).choice((0, 1, 3, 9, 16, 30, 45, None))  # noqa: S311 - demo data
    return None if days is None else utcnow() - timedelta(days=days, hours=3)
