"""The werk domain: job seekers on welfare and their work coaches."""

from pathlib import Path

import click
from flask import Blueprint

from aandacht.attention.signals import SignalRule
from aandacht.personalisation.types import ContentType
from aandacht.plugins import Domain, MenuItem, Periodic
from aandacht.profiles.definitions import ProfileAttribute, Questionnaire
from aandacht.research.types import OutcomeType
from aandacht.tenancy.context import CurrentTenant
from aandacht_werk import app_views, workspace_views
from aandacht_werk import timeline as _timeline  # noqa: F401 - registers the werk lines of the timeline
from aandacht_werk.attributes import ATTRIBUTES, CATEGORIES
from aandacht_werk.cli import commands
from aandacht_werk.content import CONTENT_TYPES
from aandacht_werk.demo import (
    load_demo_content,
    load_demo_interactions,
    load_demo_profiles,
    load_demo_segments,
)
from aandacht_werk.demo_people import load_demo_caseloads
from aandacht_werk.demo_search import load_demo_homes, load_demo_search
from aandacht_werk.facts import with_card_facts
from aandacht_werk.i18n import lazy_gettext
from aandacht_werk.i18n import translations as _translations
from aandacht_werk.outcomes import OUTCOME_TYPES
from aandacht_werk.questionnaires import QUESTIONNAIRES
from aandacht_werk.signals import WERK_SIGNALS

_HERE = Path(__file__).parent


class WerkDomain(Domain):
    """Contributions of the werk domain; they grow with each engine of the platform."""

    name = "werk"
    title = _translations.lazy_gettext("Work")
    models_module = "aandacht_werk.models"
    migrations_dir = _HERE / "migrations"
    translations_dir = _HERE / "translations"

    def blueprints(self) -> list[Blueprint]:
        """The job-search area of the app and the werk pages of the workspace."""
        return [app_views.blueprint, workspace_views.blueprint]

    def menu_items(self) -> list[MenuItem]:
        """Job search in the app and on a person's page, the vacancy feed, and "log it" on a vacancy card."""
        return [
            MenuItem("participant", "werk_search.index", lazy_gettext("Job search"), "briefcase"),
            MenuItem(
                "person", "werk_workspace.person_search", lazy_gettext("Job search and agreement"), "target"
            ),
            MenuItem("coach", "werk_workspace.vacancy_feed", lazy_gettext("Vacancy feed"), "file-import"),
            MenuItem("portal", "werk_workspace.vacancy_feed", lazy_gettext("Vacancy feed"), "file-import"),
            MenuItem(
                "card",
                "werk_search.from_item",
                lazy_gettext("Log it as an application"),
                "clipboard-check",
                content_type="werk.vacancy",
            ),
        ]

    def cli(self) -> click.Group:
        """`aandacht werk import-vacancies SLUG FILE`."""
        return commands

    def periodic_jobs(self) -> list[Periodic]:
        """Every morning: a gentle reminder for those whose agreement falls behind."""
        return [Periodic("aandacht_werk.reminders:remind_behind", cron="0 9 * * *")]

    def profile_attributes(self) -> list[ProfileAttribute]:
        """A job seeker's profile: education, work, language, transport, talents, care, health, wishes."""
        return list(ATTRIBUTES)

    def questionnaires(self) -> list[Questionnaire]:
        """The werk questions by theme; readiness, hours, sectors and transport come first."""
        return list(QUESTIONNAIRES)

    def profile_categories(self) -> dict[str, object]:
        """The headings of a job seeker's profile."""
        return dict(CATEGORIES)

    def content_types(self) -> list[ContentType]:
        """Vacancies, tips, workshops, job fairs and work abroad, matched to a job seeker's answers.

        Each with its short facts for the card (hours, distance, driving licence; day and place).
        """
        return with_card_facts(CONTENT_TYPES)

    def outcome_types(self) -> list[OutcomeType]:
        """Work or study that ends the benefit, part-time work beside it, and an end for another reason."""
        return list(OUTCOME_TYPES)

    def attention_signals(self) -> list[SignalRule]:
        """Job search stalling or going well: no activity, no answers, agreement behind, an interview."""
        return list(WERK_SIGNALS)

    def load_demo_data(self, tenant: CurrentTenant) -> None:
        """Demo job-seeker profiles, two saved selections, content, interactions, job search and caseloads."""
        load_demo_profiles(tenant)
        load_demo_homes(tenant)
        load_demo_segments()
        load_demo_content(tenant)
        load_demo_interactions(tenant)
        load_demo_search(tenant)
        load_demo_caseloads(tenant)


domain = WerkDomain()
