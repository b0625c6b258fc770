"""Staff management by the tenant's administrator: adding, roles, (de)activation and invitations.

Each function is one transaction and commits its own work; the acting administrator is passed
explicitly (`acting_staff_id=`). A staff member of a tenant with an identity provider logs in through
it; in a tenant without one, a new account gets an invitation e-mail with a single-use link (72 hours)
to choose its password, after which it logs in with password and authenticator app.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from aandacht.accounts.models import STAFF_ROLES, StaffInvitation, StaffMember
from aandacht.accounts.secrets import hash_password, new_token, token_hash
from aandacht.accounts.service import LoginRefused, normalise_email
from aandacht.db import new_id, session, utcnow
from aandacht.outreach.outbox import deliver_email
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

INVITATION_LIFETIME = timedelta(hours=72)
MIN_PASSWORD_LENGTH = 12
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 320

#: Builds the absolute address of an invitation link from its secret.
LinkBuilder = Callable[[str], str]


class StaffChangeRefused(Exception):
    """A staff change was refused; `reason` is one of the keys of `REASONS`."""

    #: Every reason, for callers that turn it into a message.
    REASONS = ("name", "email", "role", "duplicate", "self", "not_local", "password")

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StaffListing:
    """A staff member as the portal lists them, with how they log in."""

    member: StaffMember
    #: "identity_provider", "local" (password set) or "invited" (waiting for the password).
    login_method: str
    #: When the newest open invitation ends (None when there is none).
    invitation_expires_at: datetime | None = None

    @property
    def invitation_expired(self) -> bool:
        """Whether the open invitation can no longer be used (a new one must be sent)."""
        return self.invitation_expires_at is not None and self.invitation_expires_at < utcnow()


def uses_identity_provider() -> bool:
    """Whether staff of the current tenant log in through the organisation's identity provider."""
    return bool(require_tenant().identity_provider)


def staff_listing() -> list[StaffListing]:
    """Every staff member of the tenant by name, with login method and open invitation."""
    members = session.execute(select(StaffMember).order_by(StaffMember.display_name)).scalars()
    open_invitations = session.execute(
        select(StaffInvitation.staff_id, StaffInvitation.expires_at).where(StaffInvitation.used_at.is_(None))
    ).all()
    latest: dict[uuid.UUID, datetime] = {}
    for staff_id, expires_at in open_invitations:
        latest[staff_id] = max(expires_at, latest.get(staff_id, expires_at))
    listing = []
    for member in members:
        if member.password_hash:
            listing.append(StaffListing(member, "local"))
        elif member.id in latest:
            listing.append(StaffListing(member, "invited", latest[member.id]))
        else:
            listing.append(StaffListing(member, "identity_provider"))
    return listing


def add_staff(
    *, acting_staff_id: uuid.UUID, display_name: str, email: str, role: str, link_for: LinkBuilder
) -> StaffMember:
    """Add a staff member; without an identity provider, e-mail them an invitation to choose a password.

    Raises StaffChangeRefused (name, email, role, duplicate) and then changes nothing.
    """
    display_name, email = display_name.strip(), normalise_email(email)
    if not display_name or len(display_name) > MAX_NAME_LENGTH:
        raise StaffChangeRefused("name")
    if "@" not in email.strip("@") or len(email) > MAX_EMAIL_LENGTH or any(c.isspace() for c in email):
        raise StaffChangeRefused("email")
    if role not in STAFF_ROLES:
        raise StaffChangeRefused("role")
    if session.execute(select(StaffMember.id).where(StaffMember.email == email)).first():
        raise StaffChangeRefused("duplicate")
    staff = StaffMember(id=new_id(), display_name=display_name, email=email, role=role)
    session.add(staff)
    session.flush()  # the invitation refers to the new row
    token = None if uses_identity_provider() else _new_invitation(staff.id)
    session.commit()
    if token is not None:
        _send_invitation(staff, token, link_for)
    return staff


def resend_invitation(*, acting_staff_id: uuid.UUID, staff_id: uuid.UUID, link_for: LinkBuilder) -> None:
    """Send a new invitation (earlier links stop working); only to a local account without a password.

    Raises LookupError when there is no such staff member here, StaffChangeRefused("not_local") when
    the account logs in through the identity provider or has its password already.
    """
    staff = _staff(staff_id)
    if uses_identity_provider() or staff.password_hash or not staff.active:
        raise StaffChangeRefused("not_local")
    _end_open_invitations(staff.id)
    token = _new_invitation(staff.id)
    session.commit()
    _send_invitation(staff, token, link_for)


def change_role(*, acting_staff_id: uuid.UUID, staff_id: uuid.UUID, role: str) -> StaffMember:
    """Give a staff member another role (not oneself: another administrator does that)."""
    if role not in STAFF_ROLES:
        raise StaffChangeRefused("role")
    staff = _staff(staff_id)
    if staff.id == acting_staff_id:
        raise StaffChangeRefused("self")
    staff.role = role
    session.commit()
    return staff


def set_active(*, acting_staff_id: uuid.UUID, staff_id: uuid.UUID, active: bool) -> StaffMember:
    """Deactivate (every session ends at once, no login any more) or reactivate a staff member.

    An administrator cannot deactivate themselves.
    """
    staff = _staff(staff_id)
    if staff.id == acting_staff_id and not active:
        raise StaffChangeRefused("self")
    if staff.active and not active:
        staff.session_epoch = (staff.session_epoch or 0) + 1  # as log_out_everywhere
        _end_open_invitations(staff.id)
    staff.active = active
    session.commit()
    return staff


def invitation_holder(token: str) -> StaffMember:
    """The staff member an invitation link belongs to, without using it up. Raises LoginRefused."""
    return _open_invitation(token, lock=False)[1]


def accept_invitation(*, token: str, password: str) -> StaffMember:
    """Set the password of an invited staff member; the link is used up.

    Raises LoginRefused (invalid, used, expired) or StaffChangeRefused("password") when the password
    is shorter than `MIN_PASSWORD_LENGTH`; then nothing changes.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffChangeRefused("password")
    invitation, staff = _open_invitation(token, lock=True)
    invitation.used_at = utcnow()
    staff.password_hash = hash_password(password)
    staff.failed_logins, staff.locked_until = 0, None
    session.commit()
    return staff


def _staff(staff_id: uuid.UUID) -> StaffMember:
    staff = get_scoped(StaffMember, staff_id)
    if staff is None:
        raise LookupError(staff_id)
    return staff


def _open_invitation(token: str, *, lock: bool) -> tuple[StaffInvitation, StaffMember]:
    query = select(StaffInvitation).where(StaffInvitation.token_hash == token_hash(token))
    invitation = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    staff = get_scoped(StaffMember, invitation.staff_id) if invitation else None
    if invitation is None or staff is None or not staff.active:
        raise LoginRefused("invalid")
    if invitation.used_at is not None or staff.password_hash:
        raise LoginRefused("used")
    if invitation.expires_at < utcnow():
        raise LoginRefused("expired")
    return invitation, staff


def _new_invitation(staff_id: uuid.UUID) -> str:
    token = new_token()
    session.add(
        StaffInvitation(
            staff_id=staff_id, token_hash=token_hash(token), expires_at=utcnow() + INVITATION_LIFETIME
        )
    )
    return token


def _end_open_invitations(staff_id: uuid.UUID) -> None:
    session.execute(
        update(StaffInvitation)
        .where(StaffInvitation.staff_id == staff_id, StaffInvitation.used_at.is_(None))
        .values(used_at=utcnow())
    )


def _send_invitation(staff: StaffMember, token: str, link_for: LinkBuilder) -> None:
    tenant = require_tenant()
    with force_locale(staff.locale or tenant.default_locale):
        subject = _("Your account at %(name)s", name=tenant.name)
        text = _(
            "Hello %(person)s,\n\nAn account was made for you at %(name)s. Click the link to choose your "
            "password. The link works once, for 72 hours.\n\n%(link)s\n\nAfter that you log in with your "
            "e-mail address, your password and a code from an authenticator app.",
            person=staff.display_name,
            name=tenant.name,
            link=link_for(token),
        )
    deliver_email(to=staff.email, subject=subject, text=text)
