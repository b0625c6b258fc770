"""The werk domain: job seekers on welfare and their work coaches."""

from pathlib import Path

from aandacht.personalisation.types import ContentType
from aandacht.plugins import Domain
from aandacht.profiles.definitions import ProfileAttribute, Questionnaire
from aandacht.research.types import OutcomeType
from aandacht.tenancy.context import CurrentTenant
from aandacht_werk.attributes import ATTRIBUTES, CATEGORIES
from aandacht_werk.content import CONTENT_TYPES
from aandacht_werk.demo import (
    load_demo_content,
    load_demo_interactions,
    load_demo_profiles,
    load_demo_segments,
)
from aandacht_werk.i18n import translations as _translations
from aandacht_werk.outcomes import OUTCOME_TYPES
from aandacht_werk.questionnaires import QUESTIONNAIRES

_HERE = Path(__file__).parent


class WerkDomain(Domain):
    """Contributions of the werk domain; they grow with each engine of the platform."""

    name = "werk"
    title = _translations.lazy_gettext("Work")
    migrations_dir = _HERE / "migrations"
    translations_dir = _HERE / "translations"

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
        """Vacancies, tips, workshops, job fairs and work abroad, matched to a job seeker's answers."""
        return list(CONTENT_TYPES)

    def outcome_types(self) -> list[OutcomeType]:
        """Work or study that ends the benefit, part-time work beside it, and an end for another reason."""
        return list(OUTCOME_TYPES)

    def load_demo_data(self, tenant: CurrentTenant) -> None:
        """Demo job-seeker profiles, two saved selections, content, and two months of interactions."""
        load_demo_profiles(tenant)
        load_demo_segments()
        load_demo_content(tenant)
        load_demo_interactions(tenant)


domain = WerkDomain()
