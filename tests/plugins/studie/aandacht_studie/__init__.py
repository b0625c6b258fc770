"""A tiny domain for the tests: students, with one table, one page, one menu item, one attribute."""

from pathlib import Path

from flask import Blueprint, render_template_string
from sqlalchemy import func, select

from aandacht.accounts.permissions import public
from aandacht.db import session
from aandacht.plugins import Domain, MenuItem, ProfileAttribute
from aandacht.profiles.selections import document_sql
from aandacht.segments.arguments import fields
from aandacht.segments.language import Predicate

_HERE = Path(__file__).parent
pages = Blueprint("studie", __name__, url_prefix="/studie")


@pages.get("/")
@public
def internships() -> str:
    """How many internships abroad this tenant has."""
    from aandacht_studie.models import Internship

    count = session.execute(select(func.count()).select_from(Internship)).scalar()
    return render_template_string("<h1>Stages: {{ count }}</h1>", count=count)


class Delayed(Predicate):
    """Students with study delay: `{"studie.delayed": {}}`."""

    name = "studie.delayed"
    label = "Studievertraging"
    schema = {"type": "object", "additionalProperties": False}

    def check(self, arguments, context):
        return fields(arguments)

    def compile(self, arguments, context, scope):
        return document_sql(scope).equals("studie.study_delay", True)


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

    def segment_predicates(self):
        return [Delayed()]


domain = StudieDomain()
