"""Demo conversations for a tenant's demo residents, so the worklist and the person's page show them.

Loaded by `aandacht demo load` after the demo accounts: a question waiting for an answer, an
appointment tomorrow, a no-show last week and a conversation that went back and forth. Written as rows
(no notices go out); loading again changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from aandacht.accounts import service as accounts
from aandacht.accounts.demo import RESIDENTS, demo_addresses, resident_address
from aandacht.conversations.models import Appointment, ConversationMessage
from aandacht.db import session, utcnow
from aandacht.tenancy.context import CurrentTenant


def load_demo_conversations(tenant: CurrentTenant) -> None:
    """Add the demo conversations of `tenant` (in context), unless it has conversations already."""
    if session.execute(select(func.count()).select_from(ConversationMessage)).scalar_one():
        return
    coach = accounts.staff_by_email(demo_addresses(tenant)["coach"])
    people = [accounts.person_by_email(resident_address(tenant, name)) for name in RESIDENTS]
    if coach is None or any(person is None for person in people[:4]):
        return
    now = utcnow()
    waiting, coming, missed, talked = (person.id for person in people[:4] if person is not None)

    def message(
        person_id: uuid.UUID,
        hours_ago: int,
        body: str,
        *,
        staff: bool = False,
        quick: str | None = None,
        read: bool = True,
    ) -> None:
        at = now - timedelta(hours=hours_ago)
        session.add(
            ConversationMessage(
                person_id=person_id,
                author="staff" if staff else "person",
                staff_id=coach.id if staff else None,
                body=body,
                quick_reply=quick,
                created_at=at,
                read_at=at + timedelta(hours=1) if read else None,
            )
        )

    message(
        waiting, 80, "Hoi! Heb je de vacature van de bakkerij gezien? Zou dat iets voor je zijn?", staff=True
    )
    message(waiting, 60, "Bel me", quick="call_me", read=False)
    message(talked, 30, "Ik heb een brief gekregen over mijn uitkering. Wat moet ik doen?")
    message(talked, 28, "Stuur maar een foto van de brief, dan kijk ik met je mee.", staff=True)
    message(talked, 27, "Dank je wel", quick="thanks")
    for person_id, hours, status in ((coming, -20, "accepted"), (missed, 24 * 6, "no_show")):
        starts = (now - timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
        session.add(
            Appointment(
                person_id=person_id,
                staff_id=coach.id,
                kind="meeting",
                status=status,
                starts_at=starts,
                minutes=30,
                place="Stadhuis, balie 3",
                note="Neem je cv mee.",
                sequence=0,
                created_at=starts - timedelta(days=4),
                updated_at=starts - timedelta(days=3),
            )
        )
    session.commit()
