"""Tenant files: `tenants/<slug>.toml` declares one tenant; this module reads and validates them.

Every problem is reported with the file, the key and what is wrong, and all files are checked before
anything is written. `docs/tenants.md` documents every key.
"""

from __future__ import annotations

import re
import tomllib
import urllib.parse
import zoneinfo
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from aandacht.profiles.definitions import AUDIENCES, SENSITIVITIES, TYPES, Option, ProfileAttribute
from aandacht.tenancy.models import KINDS, STATUSES

SUPPORTED_LOCALES = ("nl", "en")
CHANNELS = ("email", "sms", "push")
SLUG = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SECRET_WORDS = ("password", "secret", "token", "api_key", "private_key")


@dataclass(frozen=True)
class TenantFileError:
    """One problem in one tenant file."""

    file: Path
    key: str
    problem: str

    def __str__(self) -> str:
        where = self.file.name if self.file.suffix == ".toml" else str(self.file)
        return f"{where}: {self.key}: {self.problem}"


class TenantFilesInvalid(Exception):
    """One or more tenant files are malformed; nothing was changed."""

    def __init__(self, errors: list[TenantFileError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class TenantDeclaration:
    """A tenant as its file declares it."""

    slug: str
    name: str
    kind: str
    status: str
    domains: list[str]
    locales: list[str]
    hosts: list[str]
    branding: dict[str, Any]
    channels: dict[str, dict[str, Any]]
    retention: dict[str, int]
    identity_provider: dict[str, str]
    source: Path
    #: Outreach rules (`[outreach]`): time zone, quiet hours, campaign cap, tracking.
    outreach: dict[str, Any] = field(default_factory=dict)
    #: The tenant's own profile attributes (`[[attributes]]`), as validated specs.
    attributes: list[dict[str, Any]] = field(default_factory=list)
    #: The coach's worklist (`[attention]`): signal thresholds, signals switched off, the digest's hour.
    attention: dict[str, Any] = field(default_factory=dict)


_colour = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="Not a colour; write it as #rrggbb.")


class BrandingSchema(Schema):
    """Design tokens of the tenant's look."""

    primary_color = fields.String(validate=_colour)
    secondary_color = fields.String(validate=_colour)
    logo = fields.String(validate=validate.Length(min=1, max=200))
    font_family = fields.String(validate=validate.Length(min=1, max=100))


class RetentionSchema(Schema):
    """How many months each kind of data is kept."""

    _months = {"strict": True, "validate": validate.Range(min=1, max=240, error="Must be 1 to 240 months.")}
    inactive_person_months = fields.Integer(**_months)
    message_months = fields.Integer(**_months)
    event_months = fields.Integer(**_months)
    access_log_months = fields.Integer(**_months)


#: Hosts where an identity provider may be reached over plain http (a provider on one's own machine).
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_DISCOVERY_PATH = "/.well-known/openid-configuration"
DEFAULT_OIDC_SCOPES = "openid email profile"


def _discovery_url(value: str) -> None:
    """An issuer's discovery document: https, or http on this machine only."""
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(
            f"Not an address; write the issuer's discovery address, e.g. https://login.example.nl{_DISCOVERY_PATH}."
        )
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK_HOSTS:
        raise ValidationError("Must start with https:// (http only for 127.0.0.1 or localhost).")
    if not parts.path.endswith(_DISCOVERY_PATH):
        raise ValidationError(
            f"Must end in {_DISCOVERY_PATH} (the discovery document, not the issuer itself)."
        )


def _openid_scopes(value: str) -> None:
    if "openid" not in value.split():
        raise ValidationError(f'Must contain openid, e.g. "{DEFAULT_OIDC_SCOPES}".')


def _secret_in_file(_value: Any) -> None:
    raise ValidationError(
        "Secrets never go in a tenant file; name an environment variable in client_secret_env."
    )


class IdentityProviderSchema(Schema):
    """The OpenID Connect provider that the tenant's staff log in with."""

    name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    metadata_url = fields.String(required=True, validate=_discovery_url)
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=255))
    client_secret_env = fields.String(
        required=True,
        validate=validate.Regexp(
            _ENV_NAME, error="Must be the name of an environment variable, e.g. ENSCHEDE_OIDC_SECRET."
        ),
    )
    scopes = fields.String(load_default=DEFAULT_OIDC_SCOPES, validate=_openid_scopes)
    #: Named only to refuse it with a helpful message: the secret belongs in the environment.
    client_secret = fields.Raw(load_only=True, validate=_secret_in_file)


_ATTRIBUTE_KEY = re.compile(r"^tenant\.[a-z][a-z0-9_]{1,59}$")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
_CHOICE_TYPES = ("choice", "multiple_choice")
_BOUNDED_TYPES = ("number", "scale", "multiple_choice")


_HOURS = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")


def _time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("Not a time zone; write it as Europe/Amsterdam.") from None


class CampaignCapSchema(Schema):
    """At most `messages` campaign messages per person in `days` days."""

    messages = fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    days = fields.Integer(required=True, validate=validate.Range(min=1, max=365))


class OutreachSchema(Schema):
    """The tenant's rules for sending (docs/outreach.md): all optional."""

    time_zone = fields.String(load_default="Europe/Amsterdam", validate=_time_zone)
    quiet_hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CHANNELS)),
        values=fields.String(
            validate=validate.Regexp(_HOURS, error="Write the quiet hours as HH:MM-HH:MM, e.g. 21:00-08:00.")
        ),
        load_default=dict,
    )
    campaign_cap = fields.Nested(CampaignCapSchema, load_default=None, allow_none=True)
    tracking = fields.Boolean(load_default=False)


class AttentionSchema(Schema):
    """The coach's worklist (docs/attention.md): all optional.

    Besides `off` and `digest_hour`, each key is a signal's own table of thresholds, e.g.
    `[attention.inactive]` with `days = 14`; the signal names them and checks them when it runs.
    """

    off = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list)
    digest_hour = fields.Integer(
        strict=True, load_default=7, validate=validate.Range(min=0, max=23, error="Must be an hour, 0 to 23.")
    )

    class Meta:
        """Signals' threshold tables are kept, and checked by `thresholds_are_numbers`."""

        unknown = INCLUDE

    @validates_schema
    def thresholds_are_numbers(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Every other key is a table of numbers from 0 on."""
        errors: dict[str, list[str]] = {}
        for key, table in data.items():
            if key in ("off", "digest_hour"):
                continue
            if not isinstance(table, dict):
                errors[key] = ["Must be a table of thresholds, e.g. [attention.inactive] with days = 14."]
                continue
            for name, value in table.items():
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    errors[f"{key}.{name}"] = ["Must be a number, 0 or more."]
        if errors:
            raise ValidationError(errors)


def _texts(*, required: bool = False, longest: int = 200) -> fields.Dict:
    """Words in each language: a table such as `{nl = "...", en = "..."}`."""
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(SUPPORTED_LOCALES)),
        values=fields.String(
            validate=validate.Length(min=1, max=longest, error=f"Must be 1 to {longest} characters.")
        ),
        required=required,
        validate=validate.Length(min=1, error="Give the words in at least one language."),
    )


def _regular_expression(value: str) -> None:
    try:
        re.compile(value)
    except re.error as error:
        raise ValidationError(f"Not a valid regular expression: {error}.") from None


class AttributeOptionSchema(Schema):
    """One answer of a choice attribute."""

    value = fields.String(
        required=True,
        validate=validate.Regexp(_NAME, error="Must be lower-case letters, digits, - or _ (at most 60)."),
    )
    label = _texts(required=True)
    icon = fields.String(
        validate=validate.Regexp(_NAME, error="Must be the name of a Tabler icon, e.g. heart.")
    )


class AttributeSchema(Schema):
    """A profile attribute the tenant adds itself (`[[attributes]]`)."""

    key = fields.String(
        required=True,
        validate=validate.Regexp(
            _ATTRIBUTE_KEY,
            error="Must be tenant.<name> (lower-case letters, digits, _), e.g. tenant.favourite_activities.",
        ),
    )
    label = _texts(required=True)
    help = _texts(longest=500)
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    options = fields.List(fields.Nested(AttributeOptionSchema))
    icon = fields.String(
        validate=validate.Regexp(_NAME, error="Must be the name of a Tabler icon, e.g. heart.")
    )
    category = fields.String(
        validate=validate.Regexp(_NAME, error="Must be lower-case letters, digits, - or _, e.g. leisure.")
    )
    hard = fields.Boolean(truthy={True}, falsy={False})
    sensitivity = fields.String(validate=validate.OneOf(SENSITIVITIES))
    visible_to = fields.List(fields.String(validate=validate.OneOf(AUDIENCES)))
    editable_by = fields.List(fields.String(validate=validate.OneOf(AUDIENCES)))
    minimum = fields.Float(allow_nan=False)
    maximum = fields.Float(allow_nan=False)
    max_length = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=5000, error="Must be 1 to 5000 characters.")
    )
    pattern = fields.String(validate=_regular_expression)
    life_event = fields.Boolean(truthy={True}, falsy={False})
    quick_answers = fields.List(
        fields.Integer(strict=True), validate=validate.Length(min=1, max=8, error="Give 1 to 8 numbers.")
    )
    unit = _texts(longest=40)

    @validates_schema
    def fits_its_type(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Options for choices only (with unique values), bounds in order, and a definition that works."""
        kind = data.get("type")
        errors: dict[str, list[str]] = {}
        if kind in _CHOICE_TYPES and not data.get("options"):
            errors["options"] = [f"A {kind} attribute needs options."]
        elif kind not in _CHOICE_TYPES and "options" in data:
            errors["options"] = ["Only choice and multiple_choice attributes have options."]
        values = [option["value"] for option in data.get("options", ())]
        if len(values) != len(set(values)):
            errors["options"] = ["Each option needs a value of its own."]
        for bound in ("minimum", "maximum"):
            if bound in data and kind not in _BOUNDED_TYPES:
                errors[bound] = ["Only number, scale and multiple_choice attributes have bounds."]
        if data.get("minimum", float("-inf")) > data.get("maximum", float("inf")):
            errors["maximum"] = ["Must not be below minimum."]
        for name in ("max_length", "pattern"):
            if name in data and kind != "text":
                errors[name] = ["Only text attributes have this."]
        for name in ("quick_answers", "unit"):
            if name in data and kind != "number":
                errors[name] = ["Only number attributes have this."]
        if errors:
            raise ValidationError(errors)
        try:
            ProfileAttribute(**attribute_arguments(data))
        except ValueError as problem:
            raise ValidationError(str(problem)) from None


def attribute_arguments(spec: dict[str, Any], text=lambda texts: texts) -> dict[str, Any]:
    """The arguments of `ProfileAttribute` for a stored `[[attributes]]` spec.

    `text` turns a per-language table of words (label, help, option label) into what the attribute holds.
    """
    worded = ("label", "help", "unit", "options")
    arguments = {name: value for name, value in spec.items() if name not in worded}
    arguments["label"] = text(spec["label"])
    for name in ("help", "unit"):
        if name in spec:
            arguments[name] = text(spec[name])
    if "quick_answers" in spec:
        arguments["quick_answers"] = tuple(spec["quick_answers"])
    if "options" in spec:
        arguments["options"] = tuple(
            Option(option["value"], text(option["label"]), option.get("icon", ""))
            for option in spec["options"]
        )
    for audience in ("visible_to", "editable_by"):
        if audience in spec:
            arguments[audience] = frozenset(spec[audience])
    return arguments


class TenantFileSchema(Schema):
    """The keys of a tenant file."""

    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    status = fields.String(load_default="active", validate=validate.OneOf(STATUSES))
    domains = fields.List(fields.String(), load_default=list)
    locales = fields.List(
        fields.String(validate=validate.OneOf(SUPPORTED_LOCALES)),
        load_default=lambda: list(SUPPORTED_LOCALES),
        validate=validate.Length(min=1, error="Name at least one locale; the first is the default."),
    )
    hosts = fields.List(
        fields.String(validate=validate.Regexp(_HOST, error="Not a host name (e.g. werk.enschede.nl).")),
        load_default=list,
    )
    branding = fields.Nested(BrandingSchema, load_default=dict)
    channels = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CHANNELS)),
        values=fields.Dict(keys=fields.String(), values=fields.Raw()),
        load_default=dict,
    )
    retention = fields.Nested(RetentionSchema, load_default=dict)
    outreach = fields.Nested(OutreachSchema, load_default=dict)
    attention = fields.Nested(AttentionSchema, load_default=dict)
    identity_provider = fields.Nested(IdentityProviderSchema, load_default=dict)
    attributes = fields.List(fields.Nested(AttributeSchema), load_default=list)

    @validates_schema(skip_on_field_errors=True)
    def attributes_fit_the_tenant(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Each attribute key once, and words in every language the tenant offers."""
        errors: dict[str, list[str]] = {}
        first: dict[str, int] = {}
        for index, spec in enumerate(data.get("attributes", ())):
            if spec["key"] in first:
                errors[f"attributes.{index}.key"] = [f"Also the key of attributes.{first[spec['key']]}."]
            first.setdefault(spec["key"], index)
            tables = [("label", spec["label"])]
            tables += [(name, spec[name]) for name in ("help", "unit") if name in spec]
            tables += [(f"options.{i}.label", o["label"]) for i, o in enumerate(spec.get("options", ()))]
            for path, texts in tables:
                missing = [locale for locale in data["locales"] if locale not in texts]
                if missing:
                    errors[f"attributes.{index}.{path}"] = [
                        f"Missing the words in {', '.join(missing)} (the tenant's locales)."
                    ]
        if errors:
            raise ValidationError(errors)

    @validates_schema(skip_on_field_errors=False)
    def secrets_by_name_only(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Refuse secrets written into the file: they belong in environment variables, named by `*_env`."""
        errors: dict[str, list[str]] = {}
        for channel, settings in data.get("channels", {}).items():
            for key, value in settings.items():
                path = f"channels.{channel}.{key}"
                if key.endswith("_env"):
                    if not isinstance(value, str) or not _ENV_NAME.match(value):
                        errors[path] = [
                            "Must be the name of an environment variable, e.g. ENSCHEDE_SMTP_PASSWORD."
                        ]
                elif any(word in key.lower() for word in _SECRET_WORDS):
                    errors[path] = [
                        f"Secrets never go in a tenant file; name an environment variable in {key}_env."
                    ]
        if errors:
            raise ValidationError(errors)


def read_tenant_files(
    directory: Path,
    installed_domains: Collection[str],
    failed_domains: Mapping[str, str] | None = None,
    signals: Mapping[str, Collection[str]] | None = None,
) -> list[TenantDeclaration]:
    """Read and validate every `*.toml` in `directory`; raise `TenantFilesInvalid` listing all problems.

    `failed_domains` (name -> reason) lets an error say why an enabled domain is not there. `signals`
    (attention signal -> its threshold names) lets `[attention]` be checked against the installed ones.
    """
    if not directory.is_dir():
        raise TenantFilesInvalid(
            [TenantFileError(directory, "(folder)", "The tenants folder does not exist.")]
        )
    declarations: list[TenantDeclaration] = []
    errors: list[TenantFileError] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            declarations.append(_read(path, installed_domains, failed_domains or {}, signals))
        except TenantFilesInvalid as invalid:
            errors.extend(invalid.errors)
    errors.extend(_clashing_hosts(declarations))
    if errors:
        raise TenantFilesInvalid(errors)
    return declarations


def _read(
    path: Path,
    installed_domains: Collection[str],
    failed_domains: Mapping[str, str],
    signals: Mapping[str, Collection[str]] | None = None,
) -> TenantDeclaration:
    slug = path.stem
    if not SLUG.match(slug):
        raise _invalid(
            path,
            "(file name)",
            "Name the file <slug>.toml: a lower-case letter, then 1-39 lower-case letters, digits or dashes.",
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise _invalid(path, "(syntax)", str(error)) from None
    try:
        data = TenantFileSchema().load(raw)
    except ValidationError as error:
        raise TenantFilesInvalid(
            [TenantFileError(path, key, problem) for key, problem in _flatten(error.messages)]
        ) from None
    broken = [
        f"{name} failed to load ({failed_domains[name]})"
        for name in data["domains"]
        if name in failed_domains
    ]
    if broken:
        raise _invalid(path, "domains", "; ".join(broken) + ". Run 'aandacht domains' for details.")
    unknown = [name for name in data["domains"] if name not in installed_domains]
    if unknown:
        installed = ", ".join(sorted(installed_domains)) or "none"
        raise _invalid(path, "domains", f"Not installed: {', '.join(unknown)} (installed: {installed}).")
    problems = list(_attention_problems(data["attention"], signals)) if signals is not None else []
    if problems:
        raise TenantFilesInvalid([TenantFileError(path, key, problem) for key, problem in problems])
    return TenantDeclaration(slug=slug, source=path, **data)


def _attention_problems(
    attention: Mapping[str, Any], signals: Mapping[str, Collection[str]]
) -> Iterator[tuple[str, str]]:
    """Signals and thresholds of `[attention]` that no installed signal knows."""
    known = ", ".join(sorted(signals))
    for index, key in enumerate(attention.get("off", ())):
        if key not in signals:
            yield f"attention.off.{index}", f"No signal {key!r}; the signals are: {known}."
    for key, table in attention.items():
        if key in ("off", "digest_hour"):
            continue
        if key not in signals:
            yield f"attention.{key}", f"No signal {key!r}; the signals are: {known}."
            continue
        for name in table:
            if name not in signals[key]:
                names = ", ".join(sorted(signals[key]))
                yield (
                    f"attention.{key}.{name}",
                    f"The signal {key} has no threshold {name!r}; it has: {names}.",
                )


def _clashing_hosts(declarations: list[TenantDeclaration]) -> Iterator[TenantFileError]:
    owner: dict[str, TenantDeclaration] = {}
    for declaration in declarations:
        for host in declaration.hosts:
            if host in owner:
                yield TenantFileError(
                    declaration.source, "hosts", f"{host} is also a host of {owner[host].slug}."
                )
            owner[host] = declaration


def _invalid(path: Path, key: str, problem: str) -> TenantFilesInvalid:
    return TenantFilesInvalid([TenantFileError(path, key, problem)])


def _flatten(messages: Mapping[str, Any] | list, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Turn marshmallow's nested error messages into (dotted key, message) pairs."""
    if isinstance(messages, list):
        yield prefix or "(file)", " ".join(str(message) for message in messages)
        return
    for key, value in messages.items():
        if key in ("key", "value") and prefix and not prefix.rpartition(".")[2].isdigit():
            yield from _flatten(value, prefix)  # marshmallow nests a Dict's key and value errors so
            continue
        name = f"{prefix}.{key}" if prefix else str(key)
        if key == "_schema":
            name = prefix or "(file)"
        yield from _flatten(value, name)
