"""A tiny domain for the tests: students, with one table, one page, one menu item, one attribute."""

from pathlib import Path

from flask import Blueprint, render_template_string
from sqlalchemy import func, select

from aandacht.accounts.permissions import public
from aandacht.db import session
from aandacht.plugins import Domain, MenuItem, ProfileAttribute

_HERE = Path(__file__).parent
pages = Blueprint("studie", __name__, url_prefix="/studie")


@pages.get("/")
@public
def internships() -> str:
    """How many internships abroad this tenant has."""
    from aandacht_studie.models import Internship

    count = session.execute(select(func.count()).select_from(Internship)).scalar()
    return render_template_string("<h1>Stages: {{ count }}</h1>", count=count)


class StudieDomain(Domain):
    """Students: study delay, internships abroad, studying with a disability."""

    name = "studie"
    title = "Studie"
    models_module = "aandacht_studie.models"
    migrations_dir = _HERE / "migrations"

    def blueprints(self):
        return [pages]

    def menu_items(self):
        return [MenuItem(face="participant", endpoint="studie.internships", label="Stages", icon="globe")]

    def profile_attributes(self):
        return [ProfileAttribute(key="studie.study_delay", label="Studievertraging", type="boolean")]


domain = StudieDomain()
