"""The daily digest: from the tenant's hour, once per coach a day, in the coach's language, or not at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from aandacht.accounts.models import Person, StaffMember
from aandacht.app import create_app
from aandacht.attention import jobs, service
from aandacht.db import session
from aandacht.outreach.outbox import outbox_messages
from aandacht.tenancy.context import tenant_context
from tests.outreach.conftest import Mailbox, free_port

#: 8:30 in Amsterdam (winter time): after the default digest hour of 7.
MORNING = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)


@pytest.fixture
def coaches(app, create_tenant, create_person, create_staff):
    """A tenant with a coach whose three people have been quiet for weeks, and a coach with nobody."""
    tenant = create_tenant(name="Gemeente Proef")
    people = [
        create_person(tenant, display_name=name) for name in ("Bram Buiten", "Cor Contact", "Dirk Druk")
    ]
    busy = create_staff(tenant, display_name="Carla Coach", email="carla@proef.nl", caseload=people)
    idle = create_staff(tenant, display_name="Ivo Idle", email="ivo@proef.nl")
    with app.app_context(), tenant_context(tenant):
        session.execute(
            update(Person).values(
                last_active_at=MORNING - timedelta(days=30), created_at=MORNING - timedelta(days=10)
            )
        )
        session.commit()
    return tenant, busy, idle


def digests_to(app, tenant, address):
    outbox = app.extensions["aandacht.settings"].outbox_dir
    return [
        m
        for m in outbox_messages(outbox, tenant_slug=tenant.slug)
        if m["channel"] == "email" and m["to"] == address
    ]


def run(app, tenant, now=MORNING):
    with app.app_context(), tenant_context(tenant):
        return jobs.send_digests(now=now)


def test_each_coach_gets_one_digest_a_day_with_the_count_reasons_and_link(app, coaches):
    tenant, _busy, _idle = coaches
    assert run(app, tenant) == {"sent": 1, "empty": 1, "failed": 0}
    assert run(app, tenant, MORNING + timedelta(hours=2)) == {"sent": 0, "empty": 0, "failed": 0}
    [mail] = digests_to(app, tenant, "carla@proef.nl")
    assert mail["subject"] == "3 mensen hebben vandaag uw aandacht nodig - Gemeente Proef"
    assert "Bram Buiten: Al 30 dagen niet actief" in mail["text"]
    assert "Niet actief: 3" in mail["text"]
    assert f"/t/{tenant.slug}/workspace/" in mail["text"]
    assert digests_to(app, tenant, "ivo@proef.nl") == []  # nobody needs attention: no mail
    # The next morning there is a new one.
    assert run(app, tenant, MORNING + timedelta(days=1))["sent"] == 1


def test_no_digest_before_the_tenants_hour_in_its_time_zone(app, create_tenant, create_person, create_staff):
    tenant = create_tenant(attention={"digest_hour": 9}, outreach={"time_zone": "Europe/Amsterdam"})
    create_staff(tenant, email="vroeg@proef.nl", caseload=[create_person(tenant)])
    assert run(app, tenant, MORNING) == {"sent": 0, "empty": 0, "failed": 0}  # 8:30 there
    assert sum(run(app, tenant, MORNING + timedelta(hours=1)).values()) == 1


def test_a_coach_who_switched_it_off_gets_none_and_english_for_english_coaches(app, coaches):
    tenant, busy, _idle = coaches
    with app.app_context(), tenant_context(tenant):
        service.want_digest(busy, False)
    assert run(app, tenant)["sent"] == 0
    with app.app_context(), tenant_context(tenant):
        service.want_digest(busy, True)
        session.execute(update(StaffMember).where(StaffMember.id == busy).values(locale="en"))
        session.commit()
    assert run(app, tenant)["sent"] == 1
    [mail] = digests_to(app, tenant, "carla@proef.nl")
    assert mail["subject"].startswith("3 people need your attention today")


def test_a_refused_digest_is_tried_again_by_the_next_run(app_settings, app, coaches):
    tenant, _busy, _idle = coaches
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        smtp_app = create_app({**app_settings, "SMTP_URL": f"smtp://127.0.0.1:{box.port}"})
        box.answers.append("451 Try again later")
        assert run(smtp_app, tenant)["failed"] == 1
        assert run(smtp_app, tenant)["sent"] == 1
    finally:
        controller.stop()
    [mail] = box.to("carla@proef.nl")
    assert "Dirk Druk" in mail.get_content()
