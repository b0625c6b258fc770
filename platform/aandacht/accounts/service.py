"""Account logic: creating accounts, caseloads, and every way of proving who you are.

Each function is one transaction and commits its own work. Failed logins count towards a lockout per
account; messages with links and codes go out through the outbox.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import pyotp
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from aandacht.accounts.models import (
    CaseloadAssignment,
    LoginToken,
    Person,
    PlatformAdministrator,
    StaffMember,
)
from aandacht.accounts.secrets import hash_password, password_matches, seal, token_hash, unseal
from aandacht.accounts.signals import person_joined
from aandacht.db import new_id, one_of, session, utcnow
from aandacht.outreach.outbox import deliver_email, deliver_sms
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: The staff roles that work with a caseload of their own.
CASELOAD_ROLES = ("coach", "team_lead")
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
#: How precisely `Person.last_active_at` is kept (what "inactive for 14 days" selections read).
ACTIVITY_PRECISION = timedelta(minutes=15)
MAGIC_LINK_LIFETIME = timedelta(minutes=20)
SMS_CODE_LIFETIME = timedelta(minutes=10)
SMS_CODE_ATTEMPTS = 3
_DUMMY_HASH = hash_password(secrets.token_hex(8))


class LoginRefused(Exception):
    """A login step failed; `reason` is one of invalid, locked, expired, used."""

    def __init__(self, reason: str, until: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.until = until


def normalise_email(email: str) -> str:
    """E-mail addresses compare without surrounding space and case."""
    return email.strip().lower()


def create_person(
    *,
    display_name: str,
    email: str | None = None,
    phone: str | None = None,
    password: str | None = None,
    locale: str | None = None,
    sms_second_factor: bool = False,
) -> Person:
    """Add a resident to the current tenant."""
    person = stage_person(display_name=display_name, email=email, phone=phone)
    person.password_hash = hash_password(password) if password else None
    person.locale = locale
    person.sms_second_factor = sms_second_factor
    session.flush()
    person_joined.send(person_ids=[person.id])
    session.commit()
    return person


def stage_person(
    *, display_name: str, email: str | None = None, phone: str | None = None, external_id: str | None = None
) -> Person:
    """Add a resident in the running transaction without committing (an import commits all or nothing)."""
    person = Person(
        id=new_id(),
        display_name=display_name,
        email=normalise_email(email) if email else None,
        phone=phone,
        external_id=external_id,
    )
    session.add(person)
    return person


def stage_person_details(
    person: Person, *, display_name: str | None = None, email: str | None = None, phone: str | None = None
) -> None:
    """Change a resident's name, e-mail address or phone in the running transaction (None: keep)."""
    if display_name is not None:
        person.display_name = display_name
    if email is not None:
        person.email = normalise_email(email)
    if phone is not None:
        person.phone = phone


def people_by(column: str, values: Iterable[str], *, chunk: int = 500) -> dict[str, Person]:
    """The tenant's people whose `email` or `external_id` is one of `values`, by that value."""
    if column not in ("email", "external_id"):
        raise ValueError(f"people are not looked up by {column!r}")
    attribute = getattr(Person, column)
    unique = list(dict.fromkeys(values))
    found: dict[str, Person] = {}
    for start in range(0, len(unique), chunk):
        for person in session.execute(
            select(Person).where(attribute.in_(unique[start : start + chunk]))
        ).scalars():
            found[getattr(person, column)] = person
    return found


def create_staff(*, display_name: str, email: str, role: str, password: str | None = None) -> StaffMember:
    """Add a staff member to the current tenant (a local account when a password is given)."""
    staff = StaffMember(
        display_name=display_name,
        email=normalise_email(email),
        role=role,
        password_hash=hash_password(password) if password else None,
    )
    session.add(staff)
    session.commit()
    return staff


def assign_to_caseload(*, staff_id: uuid.UUID, person_ids: list[uuid.UUID]) -> None:
    """Put people in a staff member's caseload (people already in it stay once)."""
    present = set(
        session.execute(
            select(CaseloadAssignment.person_id).where(CaseloadAssignment.staff_id == staff_id)
        ).scalars()
    )
    session.add_all(
        CaseloadAssignment(staff_id=staff_id, person_id=person_id)
        for person_id in dict.fromkeys(person_ids)
        if person_id not in present
    )
    session.commit()


def remove_from_caseload(*, staff_id: uuid.UUID, person_id: uuid.UUID) -> None:
    """Take a person out of a staff member's caseload."""
    session.execute(
        delete(CaseloadAssignment).where(
            CaseloadAssignment.staff_id == staff_id, CaseloadAssignment.person_id == person_id
        )
    )
    session.commit()


def caseload(staff_id: uuid.UUID) -> list[Person]:
    """The people in a staff member's caseload, by name."""
    query = (
        select(Person)
        .join(CaseloadAssignment, CaseloadAssignment.person_id == Person.id)
        .where(CaseloadAssignment.staff_id == staff_id)
        .order_by(Person.display_name)
    )
    return list(session.execute(query).scalars())


def activity_of(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[datetime | None, datetime]]:
    """Per person: when they last used the app (None: never) and when their account was made."""
    if not person_ids:
        return {}
    query = select(Person.id, Person.last_active_at, Person.created_at).where(one_of(Person.id, person_ids))
    return {person_id: (last, created) for person_id, last, created in session.execute(query)}


def coaches_by_person(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[StaffMember]]:
    """The staff members whose caseloads hold each of these people, by name."""
    if not person_ids:
        return {}
    query = (
        select(CaseloadAssignment.person_id, StaffMember)
        .join(StaffMember, StaffMember.id == CaseloadAssignment.staff_id)
        .where(CaseloadAssignment.person_id.in_(person_ids))
        .order_by(StaffMember.display_name)
    )
    found: dict[uuid.UUID, list[StaffMember]] = {person_id: [] for person_id in person_ids}
    for person_id, staff in session.execute(query):
        found[person_id].append(staff)
    return found


def caseload_holders() -> list[StaffMember]:
    """The active staff members who can have a caseload (coaches and team leads), by name."""
    query = (
        select(StaffMember)
        .where(StaffMember.active.is_(True), StaffMember.role.in_(CASELOAD_ROLES))
        .order_by(StaffMember.display_name)
    )
    return list(session.execute(query).scalars())


def all_people() -> list[Person]:
    """Every person of the tenant, by name (for roles that may see all)."""
    return list(session.execute(select(Person).order_by(Person.display_name)).scalars())


def all_staff() -> list[StaffMember]:
    """Every staff member of the tenant, by name."""
    return list(session.execute(select(StaffMember).order_by(StaffMember.display_name)).scalars())


def person_by_email(email: str) -> Person | None:
    """The active person with this e-mail address."""
    query = select(Person).where(Person.email == normalise_email(email), Person.active.is_(True))
    return session.execute(query).scalar_one_or_none()


def staff_account_exists(email: str) -> bool:
    """Whether any staff account of the tenant, active or not, has this address."""
    query = select(StaffMember.id).where(StaffMember.email == normalise_email(email))
    return session.execute(query).first() is not None


def staff_by_email(email: str) -> StaffMember | None:
    """The active staff member with this e-mail address."""
    query = select(StaffMember).where(
        StaffMember.email == normalise_email(email), StaffMember.active.is_(True)
    )
    return session.execute(query).scalar_one_or_none()


def _refuse_if_locked(account) -> None:
    if account.locked_until and account.locked_until > utcnow():
        raise LoginRefused("locked", account.locked_until)


def record_failed_login(account) -> None:
    """Count a failure; the fifth in a row locks the account for a quarter of an hour."""
    account.failed_logins = (account.failed_logins or 0) + 1
    if account.failed_logins >= MAX_FAILED_LOGINS:
        account.locked_until = utcnow() + LOCKOUT
        account.failed_logins = 0
    session.commit()


def record_login(account) -> None:
    """A login succeeded: reset the failure count."""
    account.failed_logins = 0
    account.locked_until = None
    account.last_login_at = utcnow()
    if isinstance(account, Person):
        account.last_active_at = account.last_login_at
    session.commit()


def note_activity(person: Person) -> None:
    """The person uses the app now; kept to ACTIVITY_PRECISION, so most requests write nothing."""
    now = utcnow()
    if person.last_active_at is None or now - person.last_active_at >= ACTIVITY_PRECISION:
        person.last_active_at = now
        session.commit()


def check_password(account, password: str) -> None:
    """Raise LoginRefused unless `account` exists, is not locked and has this password."""
    if account is None:
        password_matches(_DUMMY_HASH, password)  # same time whether or not the address is known
        raise LoginRefused("invalid")
    _refuse_if_locked(account)
    if not password_matches(account.password_hash, password):
        record_failed_login(account)
        _refuse_if_locked(account)
        raise LoginRefused("invalid")


def send_magic_link(email: str, link_for: Callable[[str], str]) -> None:
    """E-mail a single-use login link to the person with this address; nothing happens for an unknown one."""
    person = person_by_email(email)
    if person is None or not person.email:
        return
    token = secrets.token_urlsafe(32)
    session.add(
        LoginToken(
            person_id=person.id,
            purpose="magic_link",
            token_hash=token_hash(token),
            expires_at=utcnow() + MAGIC_LINK_LIFETIME,
        )
    )
    session.commit()
    tenant = require_tenant()
    with force_locale(person.locale or tenant.default_locale):
        subject = _("Your login link for %(name)s", name=tenant.name)
        text = _(
            "Hello %(person)s,\n\nClick the link to log in. It works once, for 20 minutes.\n\n%(link)s\n\n"
            "Did you not ask for this? Then you can ignore this e-mail.",
            person=person.display_name,
            link=link_for(token),
        )
    deliver_email(to=person.email, subject=subject, text=text)


def redeem_magic_link(token: str) -> Person:
    """The person a login link belongs to; the link is used up. Raises LoginRefused."""
    return _redeem("magic_link", token_hash(token), person_id=None)


def send_sms_code(person: Person) -> None:
    """Text a six-digit code to the person's phone, for the second step of a login."""
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(
        LoginToken(
            person_id=person.id,
            purpose="sms_code",
            token_hash=token_hash(f"{person.id}:{code}"),
            expires_at=utcnow() + SMS_CODE_LIFETIME,
        )
    )
    session.commit()
    tenant = require_tenant()
    with force_locale(person.locale or tenant.default_locale):
        text = _("Your code for %(name)s is %(code)s. It works for 10 minutes.", name=tenant.name, code=code)
    deliver_sms(to=person.phone or "", text=text)


def verify_sms_code(person_id: uuid.UUID, code: str) -> Person:
    """Check the latest SMS code of a person; a few wrong guesses end it. Raises LoginRefused."""
    latest = session.execute(
        select(LoginToken)
        .where(LoginToken.person_id == person_id, LoginToken.purpose == "sms_code")
        .order_by(LoginToken.expires_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if latest is None:
        raise LoginRefused("invalid")
    if latest.token_hash != token_hash(f"{person_id}:{code.strip()}"):
        latest.attempts += 1
        if latest.attempts >= SMS_CODE_ATTEMPTS:
            latest.used_at = latest.used_at or utcnow()
        session.commit()
        raise LoginRefused("used" if latest.used_at else "invalid")
    return _redeem("sms_code", latest.token_hash, person_id=person_id)


def _redeem(purpose: str, hashed: str, person_id: uuid.UUID | None) -> Person:
    query = select(LoginToken).where(LoginToken.purpose == purpose, LoginToken.token_hash == hashed)
    login_token = session.execute(query.with_for_update()).scalar_one_or_none()
    if login_token is None or (person_id is not None and login_token.person_id != person_id):
        raise LoginRefused("invalid")
    if login_token.used_at is not None:
        raise LoginRefused("used")
    if login_token.expires_at < utcnow():
        raise LoginRefused("expired")
    login_token.used_at = utcnow()
    person = get_scoped(Person, login_token.person_id)
    session.commit()
    if person is None or not person.active:
        raise LoginRefused("invalid")
    return person


def new_totp_secret() -> str:
    """A fresh TOTP seed for enrolling an authenticator app."""
    return pyotp.random_base32()


def totp_uri(secret: str, account_name: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def enrol_totp(account, secret: str, code: str) -> bool:
    """Store `secret` for `account` when `code` proves the app has it."""
    if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
        return False
    account.totp_secret = seal(secret)
    session.commit()
    return True


def totp_matches(account, code: str) -> bool:
    """Whether `code` is the current TOTP code of an enrolled account; a miss counts as a failed login."""
    if account.totp_secret and pyotp.TOTP(unseal(account.totp_secret)).verify(code.strip(), valid_window=1):
        return True
    record_failed_login(account)
    return False


def log_out_everywhere(account) -> None:
    """End every session of `account`, on every device."""
    account.session_epoch = (account.session_epoch or 0) + 1
    session.commit()


def set_locale(account, locale: str | None) -> None:
    """Remember the account's own language (None: follow the tenant)."""
    account.locale = locale
    session.commit()


def platform_admin_by_email(email: str) -> PlatformAdministrator | None:
    """The active platform administrator with this address."""
    query = select(PlatformAdministrator).where(
        PlatformAdministrator.email == normalise_email(email), PlatformAdministrator.active.is_(True)
    )
    return session.execute(query).scalar_one_or_none()


def create_platform_admin(*, display_name: str, email: str, password: str) -> PlatformAdministrator:
    """Add a platform administrator (an operator's account, across tenants)."""
    admin = PlatformAdministrator(
        display_name=display_name, email=normalise_email(email), password_hash=hash_password(password)
    )
    session.add(admin)
    session.commit()
    return admin
