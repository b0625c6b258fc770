"""Run in a fresh interpreter that has the test domains installed; prints what a user would see as JSON.

Usage: python scenario.py  (settings from the environment, as in production)
"""

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from aandacht import migrate
from aandacht.accounts.service import create_person
from aandacht.app import create_app
from aandacht.db import Base, session
from aandacht.profiles.service import set_values
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid, Viewer
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.service import snapshot

app = create_app()
migrate.upgrade(app)
registry = app.extensions["aandacht.domains"]
with app.app_context():
    tenants = {
        slug: Tenant(slug=slug, name=slug.title(), kind="municipality", domains=domains)
        for slug, domains in (("metstudie", ["studie", "werk"]), ("zonder", ["werk"]))
    }
    session.add_all(tenants.values())
    session.commit()
    current = {slug: snapshot(tenant) for slug, tenant in tenants.items()}
    from aandacht_studie.models import Internship

    with tenant_context(current["metstudie"]):
        session.add_all([Internship(country="DE"), Internship(country="BE")])
        session.commit()
        for delayed in (True, False, True):
            student = create_person(display_name=f"Student {delayed}")
            set_values(student.id, {"studie.study_delay": delayed}, source="system", audience="system")
    selections = {}
    for slug, tenant in current.items():
        with tenant_context(tenant):
            try:
                selections[slug] = segments.count({"studie.delayed": {}}, Viewer.system())
            except SelectionInvalid:
                selections[slug] = "unknown condition"
    with app.extensions["aandacht.db"].engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    tables = sorted(Base.metadata.tables)

client = app.test_client()
print(
    json.dumps(
        {
            "loaded": sorted(registry.domains),
            "failures": registry.failures,
            "pages": {slug: client.get(f"/t/{slug}/studie/").status_code for slug in current},
            "page_text": client.get("/t/metstudie/studie/").get_data(as_text=True),
            "menu": {
                slug: [i.endpoint for i in registry.menu_items(t, "participant")]
                for slug, t in current.items()
            },
            "attributes": {
                slug: [a.key for a in registry.profile_attributes(t)] for slug, t in current.items()
            },
            "home": {slug: client.get(f"/t/{slug}/").get_data(as_text=True) for slug in current},
            "selections": selections,
            "pending_diff": [str(d) for d in diff],
            "tables": tables,
        }
    )
)
