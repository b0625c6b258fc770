"""The Domain API: what a domain package contributes, and how the platform finds and scopes it.

A domain is an instance of a `Domain` subclass, registered under the entry-point group
`aandacht.domains` in the package's `pyproject.toml`::

    [project.entry-points."aandacht.domains"]
    studie = "aandacht_studie:domain"

The core knows no domain by name. A domain that fails to load is reported by name and left out; the
platform runs on. A tenant gets only the domains its tenant file enables; a disabled domain contributes
nothing to it: no routes, no attributes, no menu items. `docs/plugins.md` walks through writing one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Blueprint, Flask, abort, request

from aandacht.attention.signals import SignalRule
from aandacht.db import Base, TenantScoped
from aandacht.personalisation.types import ContentType
from aandacht.profiles.definitions import ProfileAttribute, Questionnaire
from aandacht.research.types import OutcomeType
from aandacht.schedule import Periodic
from aandacht.segments.language import Predicate
from aandacht.tenancy.context import CurrentTenant, current_tenant
from aandacht.tenancy.keys import tenant_key_problems

if TYPE_CHECKING:
    from aandacht.outreach.event_kinds import EventKind

__all__ = [
    "Domain",
    "DomainRegistry",
    "MenuItem",
    "Periodic",
    "ProfileAttribute",
    "Questionnaire",
    "SignalRule",
    "discover_domains",
]
ENTRY_POINT_GROUP = "aandacht.domains"
#: The three faces' menus, plus two places that link about one thing: "person" (a staff page about one
#: person; the endpoint gets `person_id`) and "card" (a feed card whose main action the person did, such
#: as "Apply"; the endpoint gets `item_id`).
FACES = ("participant", "coach", "portal", "person", "card")


class DomainLoadError(Exception):
    """A domain broke one of the rules of the Domain API."""


@dataclass(frozen=True)
class MenuItem:
    """An entry in the menu of one of the three faces."""

    #: One of `FACES`.
    face: str
    #: Flask endpoint the item links to (an endpoint of the domain's blueprint).
    endpoint: str
    #: Label, a lazy string of the domain's translation domain.
    label: object
    #: Name of the icon shown beside the label.
    icon: str
    #: For a "card" entry: the content type (`werk.vacancy`) whose cards show it; None for every type.
    content_type: str | None = None


class Domain:
    """Base class of a domain: subclass it, set the attributes and override the hooks you need."""

    #: Short lower-case name: prefix of its tables (`werk_…`), label of its Alembic branch, key in tenant
    #: files (`domains = ["werk"]`) and in URLs.
    name: str = ""
    #: Human name, a lazy string of the domain's own translation domain.
    title: object = ""
    #: Dotted path of the module with the domain's models, imported at load. Every table must start
    #: with `<name>_` and follow the tenant key rules of `aandacht.tenancy.keys`.
    models_module: str | None = None
    #: Folder with the domain's Alembic revisions: its own branch, labelled `<name>`.
    migrations_dir: Path | None = None
    #: Folder of the domain's catalogues (`<lang>/LC_MESSAGES/<package>.po`), merged with the core's.
    translations_dir: Path | None = None

    def blueprints(self) -> list[Blueprint]:
        """Blueprints to register; their names must start with the domain's name."""
        return []

    def menu_items(self) -> list[MenuItem]:
        """Entries for the menus of the faces."""
        return []

    def profile_attributes(self) -> list[ProfileAttribute]:
        """Characteristics the domain adds to a person's profile."""
        return []

    def questionnaires(self) -> list[Questionnaire]:
        """Short sets of the domain's questions, asked a few at a time by the profile engine."""
        return []

    def profile_categories(self) -> dict[str, object]:
        """Names (lazy strings) of the categories the domain's attributes use, shown as profile headings."""
        return {}

    def segment_predicates(self) -> list[Predicate]:
        """Conditions the domain adds to the selection language (docs/segments.md).

        Each is an instance of a `aandacht.segments.language.Predicate` subclass named `<name>.<condition>`.
        """
        return []

    def content_types(self) -> list[ContentType]:
        """Kinds of content the domain adds to the catalogue, each named `<name>.<type>`.

        Each declares its details, the tags they give an item and the fit rules that match items to a
        person's profile (docs/personalisation.md).
        """
        return []

    def outcome_types(self) -> list[OutcomeType]:
        """Outcomes that coaches, imports and integrations register, each named `<name>.<outcome>`."""
        return []

    def outreach_events(self) -> list[EventKind]:
        """Events of the domain that outreach rules can wait for, each named `<name>.<event>`.

        The domain sends `aandacht.outreach.signals.event_happened` when one happens (docs/plugins.md).
        """
        return []

    def attention_signals(self) -> list[SignalRule]:
        """Reasons why a person needs a coach's attention, added to the worklist (docs/attention.md).

        Each is an instance of a `aandacht.attention.signals.SignalRule` subclass keyed `<name>.<signal>`,
        evaluated for a whole caseload at once.
        """
        return []

    def cli(self) -> click.Group | None:
        """A command group, mounted as `aandacht <name> …`."""
        return None

    def periodic_jobs(self) -> list[Periodic]:
        """Jobs that `aandacht cron` runs on a schedule (docs/operations.md#periodic-jobs).

        A per-tenant one runs only for the active tenants that enable the domain.
        """
        return []

    def load_demo_data(self, tenant: CurrentTenant) -> None:
        """Fill `tenant` (already in context) with demo data; called by `aandacht demo load`."""

    def __repr__(self) -> str:
        return f"<Domain {self.name}>"


@dataclass
class DomainRegistry:
    """The domains installed in this process: those that loaded, and why the others did not."""

    domains: dict[str, Domain] = field(default_factory=dict)
    #: Name of the entry point -> what went wrong.
    failures: dict[str, str] = field(default_factory=dict)

    def enabled_for(self, tenant: CurrentTenant | None) -> list[Domain]:
        """The loaded domains that `tenant` enables, in the tenant file's order (none without a tenant)."""
        if tenant is None:
            return []
        return [self.domains[name] for name in tenant.domains if name in self.domains]

    def is_enabled(self, name: str, tenant: CurrentTenant | None) -> bool:
        """Whether domain `name` is loaded and enabled for `tenant`."""
        return any(domain.name == name for domain in self.enabled_for(tenant))

    def menu_items(self, tenant: CurrentTenant | None, face: str) -> list[MenuItem]:
        """The menu entries that the tenant's enabled domains add to `face`."""
        return [
            item for domain in self.enabled_for(tenant) for item in domain.menu_items() if item.face == face
        ]

    def profile_attributes(self, tenant: CurrentTenant | None) -> list[ProfileAttribute]:
        """The profile attributes that the tenant's enabled domains add."""
        return [attribute for domain in self.enabled_for(tenant) for attribute in domain.profile_attributes()]

    def profile_categories(self, tenant: CurrentTenant | None) -> dict[str, object]:
        """The category names that the tenant's enabled domains add."""
        return {
            key: name
            for domain in self.enabled_for(tenant)
            for key, name in domain.profile_categories().items()
        }

    def questionnaires(self, tenant: CurrentTenant | None) -> list[Questionnaire]:
        """The questionnaires that the tenant's enabled domains add."""
        return [item for domain in self.enabled_for(tenant) for item in domain.questionnaires()]

    def segment_predicates(self, tenant: CurrentTenant | None) -> list[Predicate]:
        """The selection conditions that the tenant's enabled domains add, each under its own name."""
        return [
            predicate
            for domain in self.enabled_for(tenant)
            for predicate in domain.segment_predicates()
            if predicate.name.startswith(f"{domain.name}.")
        ]

    def content_types(self, tenant: CurrentTenant | None) -> list[ContentType]:
        """The content types that the tenant's enabled domains add, each under its own name."""
        return [
            kind
            for domain in self.enabled_for(tenant)
            for kind in domain.content_types()
            if kind.key.startswith(f"{domain.name}.")
        ]

    def outcome_types(self, tenant: CurrentTenant | None) -> list[OutcomeType]:
        """The outcome types that the tenant's enabled domains add, each under its own name."""
        return [
            kind
            for domain in self.enabled_for(tenant)
            for kind in domain.outcome_types()
            if kind.key.startswith(f"{domain.name}.")
        ]

    def outreach_events(self, tenant: CurrentTenant | None) -> list[EventKind]:
        """The outreach events that the tenant's enabled domains add, each under its own name."""
        return [
            kind
            for domain in self.enabled_for(tenant)
            for kind in domain.outreach_events()
            if kind.key.startswith(f"{domain.name}.")
        ]

    def attention_signals(self, tenant: CurrentTenant | None) -> list[SignalRule]:
        """The attention signals that the tenant's enabled domains add, each under its own name."""
        return [
            rule
            for domain in self.enabled_for(tenant)
            for rule in domain.attention_signals()
            if rule.key.startswith(f"{domain.name}.")
        ]

    def periodic_jobs(self) -> list[Periodic]:
        """The periodic jobs of the loaded domains, each marked with the domain it belongs to."""
        return [
            replace(periodic, domain=domain.name)
            for domain in self.domains.values()
            for periodic in domain.periodic_jobs()
        ]

    def migration_dirs(self) -> list[Path]:
        """The Alembic version folders of the loaded domains."""
        return [domain.migrations_dir for domain in self.domains.values() if domain.migrations_dir]

    def init_app(self, app: Flask) -> None:
        """Register the domains' blueprints and commands, each answering only for tenants that enable it.

        A domain whose contributions cannot be registered moves to `failures`, as if it failed to load.
        """
        owners: dict[str, str] = {}
        for domain in list(self.domains.values()):
            try:
                blueprints, group = domain.blueprints(), domain.cli()
                domain.periodic_jobs()  # a malformed one (e.g. a bad cron expression) refuses the domain
                for blueprint in blueprints:
                    if not blueprint.name.startswith(domain.name):
                        raise DomainLoadError(
                            f"blueprint {blueprint.name!r} does not start with {domain.name}"
                        )
                    if blueprint.name in app.blueprints:
                        raise DomainLoadError(f"blueprint name {blueprint.name!r} is taken")
            except Exception as error:  # a broken plugin must never take the platform down
                self.failures[domain.name] = f"{type(error).__name__}: {error}"
                del self.domains[domain.name]
                continue
            for blueprint in blueprints:
                app.register_blueprint(blueprint)
                owners[blueprint.name] = domain.name
            if group is not None:
                app.cli.add_command(group, domain.name)

        def only_for_enabling_tenants() -> None:
            owner = owners.get((request.blueprint or "").split(".")[0])
            if owner and not self.is_enabled(owner, current_tenant()):
                abort(404)

        app.before_request(only_for_enabling_tenants)
        app.extensions["aandacht.domains"] = self


def discover_domains(candidates: Iterable[EntryPoint] | None = None) -> DomainRegistry:
    """Load every domain registered under `aandacht.domains`, isolating each failure by name."""
    registry = DomainRegistry()
    points = candidates if candidates is not None else entry_points(group=ENTRY_POINT_GROUP)
    for point in sorted(points, key=lambda p: p.name):
        try:
            domain = _load(point, registry)
        except Exception as error:  # a broken plugin must never take the platform down
            registry.failures[point.name] = f"{type(error).__name__}: {error}"
            continue
        registry.domains[domain.name] = domain
    return registry


def _load(point: EntryPoint, registry: DomainRegistry) -> Domain:
    domain = point.load()
    if not isinstance(domain, Domain):
        raise DomainLoadError(f"entry point {point.value} is not a Domain instance")
    if domain.name != point.name:
        raise DomainLoadError(f"registered as {point.name!r} but named {domain.name!r}")
    if domain.name in registry.domains:
        raise DomainLoadError(f"a domain named {domain.name!r} is already installed")
    if domain.migrations_dir is not None and not Path(domain.migrations_dir).is_dir():
        raise DomainLoadError(f"migrations folder {domain.migrations_dir} does not exist")
    if domain.models_module:
        package = importlib.import_module(domain.models_module).__name__.split(".")[0]
        _check_models(domain, package)
    return domain


def _check_models(domain: Domain, package: str) -> None:
    """Refuse a domain whose tables escape its prefix or break the tenant key rules."""
    mine = [
        mapper.class_ for mapper in Base.registry.mappers if mapper.class_.__module__.split(".")[0] == package
    ]
    tables = [cls.__table__ for cls in mine]
    problems = [
        f"table {table.name} does not start with {domain.name}_"
        for table in tables
        if not table.name.startswith(f"{domain.name}_")
    ]
    problems += tenant_key_problems([cls.__table__ for cls in mine if issubclass(cls, TenantScoped)])
    if problems:
        for table in tables:
            Base.metadata.remove(table)
        raise DomainLoadError("; ".join(problems))
