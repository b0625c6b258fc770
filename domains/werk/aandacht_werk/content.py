"""The werk domain's content types: vacancies, tips, workshops, job fairs and work abroad.

Each type declares its details, the tags an item derives from them (`sector:care`, `hours:part_time`,
`needs:driving_licence`, ...) and the fit rules that turn a job seeker's answers (the attributes of
`aandacht_werk.attributes`, plus the core's `core.languages`) into weighted tags with a plain reason.
Tag values are the attributes' own option values, so a tag and an answer meet without translation.
docs/werk-content.md has the tables; the ranker adds up what a person's tags and an item's tags share.

Health answers (a special category) are never read here: a feed does not need them to be useful.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from typing_extensions import override

from aandacht.personalisation.types import (
    Avoids,
    ContentField,
    ContentType,
    FitRule,
    InvalidDetail,
    ProfileTag,
    Suggests,
    Wants,
    answers,
)
from aandacht.profiles.definitions import Option, ProfileAttribute
from aandacht_werk.attributes import ATTRIBUTES, SECTORS
from aandacht_werk.i18n import lazy_gettext, translations
from aandacht_werk.matching import EducationFit, TravelDistance
from aandacht_werk.places import place_of_postcode, postcode_area, slug

_ = translations.gettext

#: A vacancy of this many hours a week or more is full-time; fewer is part-time.
FULL_TIME_HOURS = 32
#: The driving licences a vacancy can ask for.
_CAR_LICENCES = frozenset({"b", "be", "c", "ce", "d"})
#: What a licence includes: whoever has CE may also drive with C and B, and so on.
_LICENCE_INCLUDES = {"be": {"b"}, "c": {"b"}, "ce": {"c", "be", "b"}, "d": {"b"}}
#: Ways of travelling that get someone to a job outside the reach of a bike or a bus.
_MOTORISED = frozenset({"car", "scooter", "motorbike"})
_DUTCH_LEVELS = ("none", "a1", "a2", "b1", "b2", "c1", "c2")
_YOUNG_CHILDREN = frozenset({"0_3", "4_12"})


def _attribute(key: str) -> ProfileAttribute:
    return next(attribute for attribute in ATTRIBUTES if attribute.key == key)


def _options(key: str, *, leave_out: Iterable[str] = ()) -> tuple[Option, ...]:
    """The answers of a werk attribute, as the choices of a detail (so that tag and answer match)."""
    skipped = set(leave_out)
    return tuple(
        option
        for option in _attribute(key).options
        if isinstance(option, Option) and option.value not in skipped
    )


def _number(values: Mapping[str, Any], key: str) -> float | None:
    value = values.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


# --- Details ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostcodeField(ContentField):
    """A Dutch postcode: four numbers, and the two letters when known (`7511 AB` or `7511`)."""

    @override
    def clean(self, raw: Any) -> Any:
        value = super().clean(raw)
        if value is None:
            return None
        if postcode_area(str(value)) is None:
            raise InvalidDetail(_("Fill in a postcode like 7511 AB or 7511."))
        return str(value).strip().upper()


@dataclass(frozen=True)
class BoundedNumber(ContentField):
    """A number detail from `minimum` to `maximum` (the core's `ContentField` has no bounds)."""

    type: str = "number"
    minimum: float = 0
    maximum: float = 100

    @override
    def clean(self, raw: Any) -> Any:
        value = super().clean(raw)
        if value is not None and not self.minimum <= value <= self.maximum:
            raise InvalidDetail(
                _("Fill in a number from %(low)s to %(high)s.", low=self.minimum, high=self.maximum)
            )
        return value


TOPICS = (
    Option("cv", lazy_gettext("CV"), "file-cv"),
    Option("letter", lazy_gettext("Application letters"), "pencil"),
    Option("interview", lazy_gettext("Job interviews"), "messages"),
    Option("vacancies", lazy_gettext("Finding vacancies"), "search"),
    Option("networking", lazy_gettext("Networking"), "users"),
    Option("language", lazy_gettext("Learning Dutch"), "language"),
    Option("training", lazy_gettext("Courses and training"), "school"),
    Option("digital", lazy_gettext("Computer and phone"), "device-laptop"),
    Option("volunteering", lazy_gettext("Volunteer work"), "heart-handshake"),
    Option("childcare", lazy_gettext("Childcare"), "baby-carriage"),
    Option("transport", lazy_gettext("Travel to work"), "bike"),
    Option("money", lazy_gettext("Money and income"), "cash"),
    Option("first_job", lazy_gettext("Starting a new job"), "rocket"),
)
CONTRACTS = (
    Option("permanent", lazy_gettext("Permanent contract")),
    Option("temporary", lazy_gettext("Temporary contract")),
    Option("agency", lazy_gettext("Through an employment agency")),
    Option("on_call", lazy_gettext("On call")),
    Option("traineeship", lazy_gettext("Learning and working (traineeship)")),
    Option("work_experience", lazy_gettext("Work experience place")),
    Option("trial_placement", lazy_gettext("Trial placement")),
)
EVENT_KINDS = (
    Option("job_fair", lazy_gettext("Job fair"), "building-store"),
    Option("recruitment_day", lazy_gettext("Recruitment day"), "users-group"),
)
#: Certificates a vacancy can ask for: the answers of `werk.certificates`, the forklift and code 95.
CERTIFICATES = (
    *_options("werk.certificates", leave_out=("none", "other")),
    Option("forklift", lazy_gettext("Forklift certificate"), "forklift"),
    Option("code_95", lazy_gettext("Code 95 for professional drivers"), "truck"),
)
#: Extra languages a job may ask for; the values of `core.languages`, plus the languages of neighbours.
LANGUAGES = (
    Option("nl", lazy_gettext("Dutch")),
    Option("en", lazy_gettext("English")),
    Option("de", lazy_gettext("German")),
    Option("fr", lazy_gettext("French")),
    Option("es", lazy_gettext("Spanish")),
    Option("pl", lazy_gettext("Polish")),
    Option("tr", lazy_gettext("Turkish")),
    Option("ar", lazy_gettext("Arabic")),
    Option("uk", lazy_gettext("Ukrainian")),
)
COUNTRIES = (
    Option("de", lazy_gettext("Germany")),
    Option("be", lazy_gettext("Belgium")),
    Option("fr", lazy_gettext("France")),
    Option("es", lazy_gettext("Spain")),
    Option("no", lazy_gettext("Norway")),
    Option("dk", lazy_gettext("Denmark")),
    Option("se", lazy_gettext("Sweden")),
    Option("ie", lazy_gettext("Ireland")),
    Option("other", lazy_gettext("Another country")),
)
PERIODS = (
    Option("season", lazy_gettext("A season (a few months)")),
    Option("year", lazy_gettext("About a year")),
    Option("long", lazy_gettext("Longer than a year")),
)
FORMATS = (
    Option("text", lazy_gettext("Text"), "file-text"),
    Option("video", lazy_gettext("Video"), "video"),
    Option("checklist", lazy_gettext("Checklist"), "checklist"),
)

_SECTOR = ContentField("sector", lazy_gettext("Sector"), "choice", SECTORS)
_PLACE_HELP = lazy_gettext("The town, for example Hengelo.")
_PLACE = ContentField("place", lazy_gettext("Place"), help=_PLACE_HELP)
_DATE = ContentField("date", lazy_gettext("Date"), "date", required=True)
_TIME = ContentField("time", lazy_gettext("Time"), help=lazy_gettext("For example 10:00 to 12:00."))
_ADDRESS = ContentField("address", lazy_gettext("Address"))
_ONLINE = ContentField("online", lazy_gettext("Online"), "boolean", help=lazy_gettext("Join from home."))
_TOPIC = ContentField("topic", lazy_gettext("Topic"), "choice", TOPICS, required=True)


# --- Fit rules the core's Wants and Avoids cannot express --------------------------------------------


@dataclass(frozen=True)
class InRange(FitRule):
    """Items tagged `tag` fit people whose number or scale answer to `attribute` is `low` to `high`.

    A negative weight turns it round: such items do not fit them.
    """

    attribute: str
    low: float
    high: float
    tag: str
    reason: object
    weight: float = 1.0

    @property
    @override
    def reads(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.attribute,)

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterable[ProfileTag]:
        number = _number(values, self.attribute)
        if number is not None and self.low <= number <= self.high:
            yield ProfileTag(self.tag, self.weight, str(self.reason))


class HoursWanted(FitRule):
    """Part-time or full-time vacancies, from `werk.hours_type`, else from `werk.hours_per_week`."""

    reads = ("werk.hours_type", "werk.hours_per_week")

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        wanted = next(iter(answers(values, "werk.hours_type")), None)
        hours = _number(values, "werk.hours_per_week")
        if wanted is None and hours is not None and hours > 0:
            wanted = "full_time" if hours >= FULL_TIME_HOURS else "part_time"
        if wanted == "part_time":
            reason = str(lazy_gettext("You want to work part-time."))
            yield ProfileTag("hours:part_time", 1.0, reason)
            yield ProfileTag("hours:full_time", -1.0, reason)
        elif wanted == "full_time":
            reason = str(lazy_gettext("You want to work full-time."))
            yield ProfileTag("hours:full_time", 1.0, reason)
            yield ProfileTag("hours:part_time", -0.5, reason)


class LicenceFit(FitRule):
    """Vacancies that need a licence (`licence:c`) fit people who have it, counting what it includes."""

    reads = ("werk.driving_licence",)

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        answered = set(answers(values, "werk.driving_licence"))
        if not answered:
            return
        held = set(answered)
        for licence in answered:
            held |= _LICENCE_INCLUDES.get(licence, set())
        for licence in sorted(_CAR_LICENCES):
            words = licence.upper()
            if licence in held:
                reason = lazy_gettext("You have driving licence %(licence)s.")
                yield ProfileTag(f"licence:{licence}", 0.5, str(reason) % {"licence": words})
            else:
                reason = lazy_gettext("You do not have driving licence %(licence)s.")
                yield ProfileTag(f"licence:{licence}", -3.0, str(reason) % {"licence": words})


class CertificateFit(FitRule):
    """Vacancies that ask for a certificate (`needs:vca`) fit people who have it, a little less others.

    Only what the person answered counts: someone who said nothing about code 95 is not marked down for it.
    """

    reads = ("werk.certificates", "werk.forklift_certificate", "werk.code_95")

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        listed = answers(values, "werk.certificates")
        held = set(listed)
        known = {option.value for option in _options("werk.certificates")} if listed else set()
        for key, certificate in (("werk.forklift_certificate", "forklift"), ("werk.code_95", "code_95")):
            answer = answers(values, key)
            if answer:
                known.add(certificate)
                if answer[0] is True:
                    held.add(certificate)
        for option in CERTIFICATES:
            if option.value not in known:
                continue
            words = {"certificate": str(option.label)}
            if option.value in held:
                reason = lazy_gettext("You have this certificate: %(certificate)s.")
                yield ProfileTag(f"needs:{option.value}", 1.0, str(reason) % words)
            else:
                reason = lazy_gettext("You do not have this certificate yet: %(certificate)s.")
                yield ProfileTag(f"needs:{option.value}", -0.5, str(reason) % words)


class DutchLevelFit(FitRule):
    """Vacancies that ask for a level of Dutch (`dutch:b1`) fit people who speak that well, not others."""

    reads = ("werk.dutch_level",)

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        level = next(iter(answers(values, "werk.dutch_level")), None)
        if level not in _DUTCH_LEVELS:
            return
        speaks = _DUTCH_LEVELS.index(level)
        for index, asked in enumerate(_DUTCH_LEVELS[1:], start=1):
            if index <= speaks:
                reason = lazy_gettext("You speak enough Dutch for this.")
                yield ProfileTag(f"dutch:{asked}", 0.25, str(reason))
            else:
                reason = lazy_gettext("This asks for more Dutch than you speak now.")
                yield ProfileTag(f"dutch:{asked}", -1.0 if index - speaks == 1 else -2.0, str(reason))


class NoOwnTransport(FitRule):
    """Jobs that need one's own transport do not fit people who travel only by bike, bus or on foot."""

    reads = ("werk.transport",)

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        ways = set(answers(values, "werk.transport"))
        if ways and not ways & _MOTORISED:
            reason = lazy_gettext("You have no car, scooter or motorbike.")
            yield ProfileTag("needs:own_transport", -1.0, str(reason))


class ChildcareNeeded(FitRule):
    """Tips and workshops about childcare fit parents of young children without childcare yet."""

    reads = ("werk.children_ages", "werk.childcare_arranged")

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        young = set(answers(values, "werk.children_ages")) & _YOUNG_CHILDREN
        if young and set(answers(values, "werk.childcare_arranged")) & {"no", "partly"}:
            reason = lazy_gettext("You may need childcare when you work.")
            yield ProfileTag("topic:childcare", 1.0, str(reason))


# --- Tags from details ----------------------------------------------------------------------------------


def _vacancy_tags(details: Mapping[str, Any]) -> Iterator[str]:
    yield from _choice_tags(details, sector="sector", contract="contract", environment="environment")
    yield from _choice_tags(details, dutch="dutch_level", language="language")
    hours = details.get("hours")
    if isinstance(hours, int | float):
        yield "hours:full_time" if hours >= FULL_TIME_HOURS else "hours:part_time"
    yield from _choice_tags(details, education="education_level", talent="talent")
    if details.get("place"):
        yield f"place:{slug(str(details['place']))}"
    town = place_of_postcode(str(details.get("postcode") or ""))
    if town is not None:
        yield f"place:{town.key}"
    if details.get("driving_licence"):
        yield "needs:driving_licence"
        yield f"licence:{details['driving_licence']}"
    if details.get("certificate"):
        yield f"needs:{details['certificate']}"
    if details.get("own_transport"):
        yield "needs:own_transport"
    for times in ("evenings", "weekends", "shifts"):
        if details.get(times):
            yield f"times:{times}"


def _choice_tags(details: Mapping[str, Any], **prefixes: str) -> Iterator[str]:
    """`<prefix>:<value>` for each detail named in `prefixes` (prefix=detail key) that is filled in."""
    for prefix, key in prefixes.items():
        if details.get(key):
            yield f"{prefix}:{details[key]}"


def _event_tags(details: Mapping[str, Any]) -> Iterator[str]:
    """Tags of a workshop or job fair: where it is, whether online, its sector and topic or kind."""
    yield from _choice_tags(details, sector="sector", topic="topic", event="kind")
    if details.get("place"):
        yield f"place:{slug(str(details['place']))}"
    if details.get("online"):
        yield "online"


def _tip_tags(details: Mapping[str, Any]) -> Iterator[str]:
    """A tip's topic, and `format:video` for a video (the one form a person's taste is learned for)."""
    yield from _choice_tags(details, topic="topic")
    if details.get("format") == "video":
        yield "format:video"


def _abroad_tags(details: Mapping[str, Any]) -> Iterator[str]:
    yield "abroad"
    yield from _choice_tags(details, country="country", language="language", sector="sector", period="period")
    if details.get("housing"):
        yield "housing"


# --- The rules, grouped by the tags they give ---------------------------------------------------------

_YOU_WANT_SECTOR = lazy_gettext("You want to work in this sector: %(value)s.")
_SECTOR_RULES: tuple[FitRule, ...] = (
    Wants("werk.sectors_wanted", "sector", _YOU_WANT_SECTOR),
    Wants(
        "werk.sectors_experience", "sector", lazy_gettext("You have worked in this sector: %(value)s."), 0.5
    ),
)
_READY = lazy_gettext("You are ready to start working.")
_NOT_READY = lazy_gettext("You first want to get ready for work.")
_TRAINING = lazy_gettext("You would like to follow a course or training.")
_TOPIC_RULES: tuple[FitRule, ...] = (
    Wants("werk.help_wanted", "topic", lazy_gettext("You want help with this: %(value)s.")),
    Suggests("werk.cv_available", ("no",), "topic:cv", lazy_gettext("You do not have a CV yet.")),
    Suggests("werk.cv_available", ("old",), "topic:cv", lazy_gettext("Your CV is old."), 0.75),
    Suggests("werk.wants_training", ("yes",), "topic:training", _TRAINING),
    Suggests(
        "werk.volunteering_interest",
        ("yes",),
        "topic:volunteering",
        lazy_gettext("You would like to do volunteer work."),
    ),
    Suggests(
        "werk.search_channels",
        ("network",),
        "topic:networking",
        lazy_gettext("You look for work through people you know."),
        0.5,
    ),
    Suggests(
        "werk.dutch_level",
        ("none", "a1", "a2"),
        "topic:language",
        lazy_gettext("You are still learning Dutch."),
        0.75,
    ),
    Suggests(
        "werk.computer_skills",
        ("none", "basic"),
        "topic:digital",
        lazy_gettext("A computer is not easy for you yet."),
        0.75,
    ),
    ChildcareNeeded(),
)
_ONLINE_RULES: tuple[FitRule, ...] = (
    Avoids("werk.computer_skills", "none", "online", lazy_gettext("You do not use a computer."), -1.0),
    Suggests("werk.computer_tasks", ("video",), "online", lazy_gettext("You can join a video call."), 0.5),
)
_LANGUAGE_RULES: tuple[FitRule, ...] = (
    Wants("core.languages", "language", lazy_gettext("You speak %(value)s."), 0.5),
)

VACANCY = ContentType(
    key="werk.vacancy",
    label=lazy_gettext("Vacancy"),
    plural=lazy_gettext("Vacancies"),
    icon="briefcase",
    action=lazy_gettext("Apply"),
    action_done=lazy_gettext("You applied."),
    fields=(
        ContentField("employer", lazy_gettext("Employer"), required=True),
        ContentField("place", lazy_gettext("Place"), required=True, help=_PLACE_HELP),
        BoundedNumber(
            "hours",
            lazy_gettext("Hours per week"),
            required=True,
            help=lazy_gettext("Full-time is 32 hours or more."),
            minimum=1,
            maximum=60,
        ),
        ContentField("contract", lazy_gettext("Contract"), "choice", CONTRACTS, required=True),
        ContentField("sector", lazy_gettext("Sector"), "choice", SECTORS, required=True),
        PostcodeField(
            "postcode",
            lazy_gettext("Postcode"),
            help=lazy_gettext("Where the work is; it finds people who live close by."),
        ),
        ContentField("requirements", lazy_gettext("What you need"), "long_text"),
        ContentField(
            "education_level",
            lazy_gettext("Schooling needed"),
            "choice",
            _options("werk.education_level", leave_out=("none",)),
        ),
        ContentField(
            "talent",
            lazy_gettext("What matters most in this work"),
            "choice",
            _options("werk.talents"),
        ),
        ContentField("salary", lazy_gettext("Pay"), help=lazy_gettext("For example 14 euro per hour.")),
        ContentField(
            "driving_licence",
            lazy_gettext("Driving licence needed"),
            "choice",
            _options("werk.driving_licence", leave_out=("none", "am", "a")),
            help=lazy_gettext("Leave empty when no driving licence is needed."),
        ),
        ContentField("certificate", lazy_gettext("Certificate needed"), "choice", CERTIFICATES),
        ContentField("own_transport", lazy_gettext("Own transport needed"), "boolean"),
        ContentField(
            "dutch_level",
            lazy_gettext("Dutch needed"),
            "choice",
            _options("werk.dutch_level", leave_out=("none",)),
        ),
        ContentField("language", lazy_gettext("Another language that helps"), "choice", LANGUAGES),
        ContentField(
            "environment", lazy_gettext("Where you work"), "choice", _options("werk.work_environment")
        ),
        ContentField("evenings", lazy_gettext("Work in the evening"), "boolean"),
        ContentField("weekends", lazy_gettext("Work at the weekend"), "boolean"),
        ContentField("shifts", lazy_gettext("Work in shifts"), "boolean"),
        ContentField("closing_date", lazy_gettext("Apply before"), "date"),
    ),
    derive_tags=_vacancy_tags,
    fit_rules=(
        *_SECTOR_RULES,
        HoursWanted(),
        Suggests("werk.wants_training", ("yes", "maybe"), "contract:traineeship", _TRAINING, 0.75),
        Suggests(
            "werk.agency_registered",
            (True,),
            "contract:agency",
            lazy_gettext("You are registered with an employment agency."),
            0.5,
        ),
        Avoids(
            "werk.driving_licence",
            "none",
            "needs:driving_licence",
            lazy_gettext("You have no driving licence."),
        ),
        LicenceFit(),
        CertificateFit(),
        NoOwnTransport(),
        DutchLevelFit(),
        *_LANGUAGE_RULES,
        Wants("werk.work_environment", "environment", lazy_gettext("You like to work here: %(value)s."), 0.5),
        Wants("werk.talents", "talent", lazy_gettext("You are good at this: %(value)s."), 0.5),
        Avoids("werk.evenings_ok", False, "times:evenings", lazy_gettext("You cannot work in the evening.")),
        Avoids("werk.weekends_ok", False, "times:weekends", lazy_gettext("You cannot work at the weekend.")),
        Avoids("werk.shifts_ok", False, "times:shifts", lazy_gettext("You cannot work in shifts.")),
        InRange("werk.readiness", 4, 5, "type:werk.vacancy", _READY, 0.5),
        InRange("werk.readiness", 1, 2, "type:werk.vacancy", _NOT_READY, -0.5),
        TravelDistance(),
        EducationFit(),
    ),
    tag_prefixes={
        "sector": lazy_gettext("Sector"),
        "hours": lazy_gettext("Hours"),
        "contract": lazy_gettext("Contract"),
        "place": lazy_gettext("Place"),
        "needs": lazy_gettext("Needed"),
        "licence": lazy_gettext("Driving licence"),
        "dutch": lazy_gettext("Dutch needed"),
        "language": lazy_gettext("Language"),
        "environment": lazy_gettext("Where you work"),
        "talent": lazy_gettext("Talent"),
        "times": lazy_gettext("Working times"),
        "education": lazy_gettext("Schooling needed"),
    },
    tag_labels={
        "hours:full_time": lazy_gettext("full-time work"),
        "hours:part_time": lazy_gettext("part-time work"),
        "needs:driving_licence": lazy_gettext("a driving licence"),
        "needs:own_transport": lazy_gettext("your own transport"),
        "times:evenings": lazy_gettext("working in the evening"),
        "times:weekends": lazy_gettext("working at the weekend"),
        "times:shifts": lazy_gettext("working in shifts"),
        **{f"needs:{option.value}": option.label for option in CERTIFICATES},
        **{f"education:{option.value}": option.label for option in _options("werk.education_level")},
    },
)


TIP = ContentType(
    key="werk.tip",
    label=lazy_gettext("Tip"),
    plural=lazy_gettext("Tips"),
    icon="bulb",
    fields=(
        _TOPIC,
        ContentField("format", lazy_gettext("Form"), "choice", FORMATS),
        BoundedNumber("minutes", lazy_gettext("Minutes to read or watch"), minimum=1, maximum=120),
    ),
    derive_tags=_tip_tags,
    fit_rules=(
        *_TOPIC_RULES,
        InRange(
            "werk.dutch_reading",
            1,
            2,
            "format:video",
            lazy_gettext("Reading Dutch is not easy for you. A video can help."),
            0.75,
        ),
        InRange("werk.readiness", 1, 2, "type:werk.tip", _NOT_READY, 0.5),
    ),
    tag_prefixes={"topic": lazy_gettext("Topic"), "format": lazy_gettext("Form")},
)

WORKSHOP = ContentType(
    key="werk.workshop",
    label=lazy_gettext("Workshop"),
    plural=lazy_gettext("Workshops"),
    icon="presentation",
    action=lazy_gettext("Sign up"),
    action_done=lazy_gettext("You signed up."),
    fields=(
        _TOPIC,
        _DATE,
        _TIME,
        _PLACE,
        _ADDRESS,
        _ONLINE,
        ContentField("organiser", lazy_gettext("Organiser")),
        BoundedNumber("places", lazy_gettext("Places free"), minimum=0, maximum=1000),
        _SECTOR,
    ),
    derive_tags=_event_tags,
    fit_rules=(*_TOPIC_RULES, *_ONLINE_RULES, *_SECTOR_RULES),
    tag_prefixes={
        "topic": lazy_gettext("Topic"),
        "place": lazy_gettext("Place"),
        "sector": lazy_gettext("Sector"),
        "online": lazy_gettext("Online"),
    },
)

JOB_FAIR = ContentType(
    key="werk.job_fair",
    label=lazy_gettext("Job fair or recruitment day"),
    plural=lazy_gettext("Job fairs and recruitment days"),
    icon="calendar-event",
    action=lazy_gettext("Sign up"),
    action_done=lazy_gettext("You signed up."),
    fields=(
        ContentField("kind", lazy_gettext("Kind"), "choice", EVENT_KINDS, required=True),
        _DATE,
        _TIME,
        _PLACE,
        _ADDRESS,
        _ONLINE,
        ContentField(
            "employer", lazy_gettext("Employer"), help=lazy_gettext("For a recruitment day of one employer.")
        ),
        _SECTOR,
    ),
    derive_tags=_event_tags,
    fit_rules=(
        *_SECTOR_RULES,
        *_ONLINE_RULES,
        InRange("werk.readiness", 4, 5, "event:recruitment_day", _READY, 0.75),
        Suggests(
            "werk.search_status",
            ("active", "orienting"),
            "event:job_fair",
            lazy_gettext("You are looking for work."),
            0.5,
        ),
    ),
    tag_prefixes={
        "event": lazy_gettext("Kind"),
        "place": lazy_gettext("Place"),
        "sector": lazy_gettext("Sector"),
        "online": lazy_gettext("Online"),
    },
    tag_labels={f"event:{option.value}": option.label for option in EVENT_KINDS},
)

_MOVE = lazy_gettext("You would move house for a job.")
WORK_ABROAD = ContentType(
    key="werk.work_abroad",
    label=lazy_gettext("Work abroad"),
    plural=lazy_gettext("Work abroad"),
    icon="plane",
    action=lazy_gettext("I am interested"),
    action_done=lazy_gettext("You said you are interested."),
    fields=(
        ContentField("country", lazy_gettext("Country"), "choice", COUNTRIES, required=True),
        ContentField("language", lazy_gettext("Language at work"), "choice", LANGUAGES),
        _SECTOR,
        ContentField("period", lazy_gettext("How long"), "choice", PERIODS),
        ContentField("housing", lazy_gettext("Housing is arranged"), "boolean"),
        ContentField("organisation", lazy_gettext("Who helps you"), help=lazy_gettext("For example EURES.")),
    ),
    derive_tags=_abroad_tags,
    fit_rules=(
        Suggests("werk.willing_to_move", ("yes",), "abroad", _MOVE),
        Suggests(
            "werk.willing_to_move",
            ("maybe",),
            "abroad",
            lazy_gettext("You might move house for a job."),
            0.25,
        ),
        Avoids(
            "werk.willing_to_move", "no", "abroad", lazy_gettext("You do not want to move house for a job.")
        ),
        Suggests(
            "werk.experience_abroad",
            (True,),
            "abroad",
            lazy_gettext("You have worked in another country before."),
            0.5,
        ),
        *_LANGUAGE_RULES,
        *_SECTOR_RULES,
    ),
    tag_prefixes={
        "abroad": lazy_gettext("Abroad"),
        "country": lazy_gettext("Country"),
        "language": lazy_gettext("Language"),
        "period": lazy_gettext("How long"),
        "housing": lazy_gettext("Housing"),
        "sector": lazy_gettext("Sector"),
    },
)


#: The werk domain's content types, in the order of the editor's menu.
CONTENT_TYPES: tuple[ContentType, ...] = (VACANCY, TIP, WORKSHOP, JOB_FAIR, WORK_ABROAD)
