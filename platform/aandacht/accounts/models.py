"""People, staff, caseloads, one-time login tokens, staff invitations and API credentials."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, tenant_foreign_key, utcnow

STAFF_ROLES = ("coach", "team_lead", "tenant_admin")
TOKEN_PURPOSES = ("magic_link", "sms_code")
API_CREDENTIAL_KINDS = ("personal", "client")


class LoginState:
    """Columns every account needs for lockout and logging out everywhere."""

    #: Failed logins since the last success; reaching the limit locks the account for a while.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    #: Raised by "log out everywhere": sessions made with an older value are no longer valid.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    last_login_at: Mapped[datetime | None]


class Person(Base, TenantScoped, LoginState):
    """A resident served by the tenant: job seeker, sheltered-employment worker or elderly participant."""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("tenant_id", "email"),
        Index("uq_person_tenant_id_external_id", "tenant_id", "external_id", unique=True),
        Index("ix_person_last_active", "tenant_id", "last_active_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    #: Mobile number in international form (+316...), for SMS codes and messages.
    phone: Mapped[str | None] = mapped_column(String(32))
    #: Argon2 hash; None: this person logs in by e-mail link only.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    #: Ask a code by SMS after the first step of each login.
    sms_second_factor: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The person's own language; None: the tenant's.
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The tenant's own client number, set by imports; unique within the tenant.
    external_id: Mapped[str | None] = mapped_column(String(100))
    #: The last moment the person used the app (kept to the quarter of an hour); None: never.
    last_active_at: Mapped[datetime | None]
    #: Content chosen for the person (True), or a plain newest-first feed because they switched it off.
    personalised: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffMember(Base, TenantScoped, LoginState):
    """A coach, team lead or tenant administrator."""

    __tablename__ = "staff_member"
    __table_args__ = (
        UniqueConstraint("tenant_id", "email"),
        UniqueConstraint("tenant_id", "oidc_subject"),
        CheckConstraint(f"role IN {STAFF_ROLES}", name="role"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(32))
    #: Subject at the tenant's identity provider, set at the first OpenID Connect login.
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    #: Argon2 hash for a local account (organisations without an identity provider).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    #: TOTP secret of a local account, encrypted with the app's key; None until enrolled.
    totp_secret: Mapped[str | None] = mapped_column(String(300))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseloadAssignment(Base, TenantScoped):
    """A person in a staff member's caseload; a person may be shared by several coaches."""

    __tablename__ = "caseload_assignment"
    __table_args__ = (
        tenant_foreign_key("staff_id", "staff_member", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
    )

    staff_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginToken(Base, TenantScoped):
    """A single-use secret sent to a person: the link in a login e-mail, or an SMS code."""

    __tablename__ = "login_token"
    __table_args__ = (
        UniqueConstraint("tenant_id", "token_hash"),
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"purpose IN {TOKEN_PURPOSES}", name="purpose"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    purpose: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the secret; the secret itself is only in the message.
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    #: Wrong guesses of an SMS code; the code dies after a few.
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class StaffInvitation(Base, TenantScoped):
    """A single-use link that lets a new local staff member choose their password."""

    __tablename__ = "staff_invitation"
    __table_args__ = (
        UniqueConstraint("tenant_id", "token_hash"),
        tenant_foreign_key("staff_id", "staff_member", ondelete="CASCADE"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    staff_id: Mapped[uuid.UUID]
    #: SHA-256 of the secret; the secret itself is only in the e-mail.
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    #: Set when the password was chosen, or when a newer invitation replaced this one.
    used_at: Mapped[datetime | None]


class ApiCredential(Base, TenantScoped):
    """A personal API token of a staff member, or an OAuth2 client of an integration; bound to scopes."""

    __tablename__ = "api_credential"
    __table_args__ = (
        UniqueConstraint("tenant_id", "secret_hash"),
        UniqueConstraint("tenant_id", "client_id"),
        tenant_foreign_key("staff_id", "staff_member", ondelete="CASCADE"),
        CheckConstraint(f"kind IN {API_CREDENTIAL_KINDS}", name="kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    #: The staff member a personal token acts as; an integration client acts as itself.
    staff_id: Mapped[uuid.UUID | None]
    #: Public identifier of an OAuth2 client (None for personal tokens).
    client_id: Mapped[str | None] = mapped_column(String(64))
    #: SHA-256 of the token or client secret.
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class PlatformAdministrator(Base, LoginState):
    """The one cross-tenant role: operates the installation, sees no personal data of any tenant."""

    __tablename__ = "platform_administrator"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
