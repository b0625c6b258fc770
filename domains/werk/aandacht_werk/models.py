"""The werk domain's tables: a job seeker's search activities and the agreements with their coach."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id, tenant_foreign_key, utcnow

#: What a person can log: an application, a letter written, a job interview, a talk with someone from
#: their network, a course or training day, or something else that helps the search.
ACTIVITY_KINDS = ("application", "letter", "interview", "network", "training", "other")
#: What came of an application: still waiting, no answer, invited for an interview, rejected, hired.
OUTCOMES = ("waiting", "no_answer", "interview", "rejected", "hired")


class SearchActivity(Base, TenantScoped):
    """One thing a job seeker did to find work, logged by themselves or by their coach."""

    __tablename__ = "werk_search_activity"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"kind IN {ACTIVITY_KINDS}", name="kind"),
        CheckConstraint(f"outcome IN {OUTCOMES}", name="outcome"),
        Index("ix_werk_search_activity_person", "tenant_id", "person_id", "done_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: One of `ACTIVITY_KINDS`.
    kind: Mapped[str] = mapped_column(String(16))
    done_on: Mapped[date]
    #: The feed's vacancy it was about, if any (kept when the vacancy is retired or removed).
    item_id: Mapped[uuid.UUID | None]
    #: The vacancy's title, employer and sector when it was logged, so that the history keeps them.
    title: Mapped[str | None] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(40))
    #: For an application: one of `OUTCOMES`; None for other kinds.
    outcome: Mapped[str | None] = mapped_column(String(16))
    #: "person" or "coach": who logged it.
    logged_by: Mapped[str] = mapped_column(String(8), default="person")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome_at: Mapped[datetime | None]


class SearchAgreement(Base, TenantScoped):
    """What a coach and a job seeker agreed: `per_month` activities of `kind` each month from `starts_on`.

    The newest agreement of a person is the one that counts; ending it sets `ends_on`.
    """

    __tablename__ = "werk_search_agreement"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"kind IN {ACTIVITY_KINDS}", name="kind"),
        CheckConstraint("per_month BETWEEN 1 AND 40", name="per_month"),
        Index("ix_werk_search_agreement_person", "tenant_id", "person_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(16), default="application")
    per_month: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    #: Whether the person gets a gentle reminder when they fall behind (agreed with them).
    reminders: Mapped[bool] = mapped_column(default=True)
    #: The staff member who set it.
    set_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
