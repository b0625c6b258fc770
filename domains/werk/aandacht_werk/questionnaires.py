"""The werk domain's questionnaires: its attributes grouped by theme, asked a few at a time.

The priority says what a work coach needs first: how ready someone is and how many hours they can
work, then the sectors they know and want, then how they can travel. Health and care come later and
are always optional ("prefer not to say" is always possible). Every werk attribute is in exactly one
questionnaire.
"""

from __future__ import annotations

from aandacht.profiles.definitions import Questionnaire
from aandacht_werk.i18n import lazy_gettext

QUESTIONNAIRES: tuple[Questionnaire, ...] = (
    Questionnaire(
        key="werk.readiness",
        title=lazy_gettext("Ready for work"),
        attribute_keys=(
            "werk.readiness",
            "werk.search_status",
            "werk.motivation_level",
            "werk.motivations",
            "werk.obstacles",
            "werk.help_wanted",
            "werk.goal",
            "werk.start_date",
        ),
        priority=95,
        icon="gauge",
    ),
    Questionnaire(
        key="werk.hours",
        title=lazy_gettext("When you can work"),
        attribute_keys=(
            "werk.hours_type",
            "werk.hours_per_week",
            "werk.days_available",
            "werk.evenings_ok",
            "werk.weekends_ok",
            "werk.shifts_ok",
        ),
        priority=90,
        icon="clock",
    ),
    Questionnaire(
        key="werk.sectors",
        title=lazy_gettext("Your work experience and wishes"),
        attribute_keys=(
            "werk.sectors_wanted",
            "werk.job_wish",
            "werk.sectors_experience",
            "werk.years_experience",
            "werk.last_job",
            "werk.last_job_when",
            "werk.last_job_contract",
            "werk.experience_abroad",
            "werk.reference_available",
        ),
        priority=85,
        icon="briefcase",
    ),
    Questionnaire(
        key="werk.transport",
        title=lazy_gettext("Travelling to work"),
        attribute_keys=(
            "werk.transport",
            "werk.home_postcode",
            "werk.travel_minutes",
            "werk.travel_km",
            "werk.driving_licence",
            "werk.forklift_certificate",
            "werk.code_95",
            "werk.willing_to_move",
        ),
        priority=80,
        icon="route",
    ),
    Questionnaire(
        key="werk.education",
        title=lazy_gettext("School and diplomas"),
        attribute_keys=(
            "werk.education_level",
            "werk.education_field",
            "werk.diploma_obtained",
            "werk.diploma_country",
            "werk.diploma_recognised",
            "werk.certificates",
            "werk.currently_studying",
            "werk.wants_training",
        ),
        priority=75,
        icon="school",
    ),
    Questionnaire(
        key="werk.language",
        title=lazy_gettext("The Dutch language"),
        attribute_keys=(
            "werk.dutch_level",
            "werk.dutch_reading",
            "werk.dutch_writing",
            "werk.dutch_course",
            "werk.integration",
        ),
        priority=70,
        icon="language",
    ),
    Questionnaire(
        key="werk.job_search",
        title=lazy_gettext("Looking for work"),
        attribute_keys=(
            "werk.cv_available",
            "werk.applications_last_month",
            "werk.interviews_last_month",
            "werk.search_channels",
            "werk.agency_registered",
            "werk.computer_skills",
            "werk.computer_tasks",
        ),
        priority=65,
        icon="search",
    ),
    Questionnaire(
        key="werk.talents",
        title=lazy_gettext("Your talents and free time"),
        attribute_keys=(
            "werk.talents",
            "werk.work_style",
            "werk.work_environment",
            "werk.strengths",
            "werk.hobbies",
            "werk.hobby_story",
            "werk.volunteering",
            "werk.volunteering_kind",
            "werk.volunteering_hours",
            "werk.volunteering_interest",
        ),
        priority=55,
        icon="bulb",
    ),
    Questionnaire(
        key="werk.care",
        title=lazy_gettext("Care for children and family"),
        attribute_keys=(
            "werk.children_ages",
            "werk.childcare_arranged",
            "werk.single_parent",
            "werk.family_care",
            "werk.family_care_hours",
            "werk.care_limits_work",
        ),
        priority=50,
        icon="heart",
    ),
    Questionnaire(
        key="werk.health",
        title=lazy_gettext("Health and energy"),
        attribute_keys=(
            "werk.energy_per_day",
            "werk.hours_able_per_week",
            "werk.health_limits",
            "werk.physical_limits",
            "werk.stress_tolerance",
            "werk.health_support",
            "werk.health_note",
        ),
        priority=40,
        icon="heartbeat",
    ),
)
