"""The sandbox that message templates are rendered in, and the check of a template's text before it is saved.

A template's text is Jinja2 run in an `ImmutableSandboxedEnvironment`: it can read the variables it is
given and call the filters below and a few of Jinja's (`JINJA_FILTERS`), and nothing else: no
attributes starting with `_`, no changing of lists or dicts, no Jinja globals (`range`, `namespace`),
no huge repetitions or powers, and loops nested two deep at most, so a template cannot take a worker
down. `StrictUndefined` turns every missing value into an
error instead of an empty space. Both the check and the rendering answer problems as "line N: reason"
in the request's language (`Problem`), so the coach sees where to look.

The variables (`docs/outreach.md#templates`):

- `person.first_name`, `person.display_name`
- `profile["<attribute key>"]`: the person's value as words in the template's language (the label of
  a chosen option, "Ja"/"Yes" for a yes-or-no question), a number, a date, or a list of labels
  (printed with commas); "" when the person did not answer or preferred not to say.
- `tenant.name`, `coach.name` (the staff member who sends), `today` (a date, for the filters).

`check_source` refuses a text that cannot be parsed, names an unknown variable, field or profile key,
or a profile key the writer's role may not see; the caller then renders it once with a synthetic
person (`aandacht.outreach.message_templates`) to catch what only shows when rendering.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import dates, numbers
from flask_babel import get_timezone
from flask_babel import gettext as _
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from aandacht.personalisation.markdown import render_markdown

#: The name rendering gives a template's text; its frames in a traceback carry the text's line numbers.
TEMPLATE_NAME = "<template>"
#: The variable that carries the template's language to the filters (not for templates to use).
LANGUAGE_VARIABLE = "__language__"
#: The fields of each variable besides `profile`, which is keyed by attribute.
NAMESPACES: dict[str, tuple[str, ...]] = {
    "person": ("first_name", "display_name"),
    "tenant": ("name",),
    "coach": ("name",),
}
PROFILE = "profile"
VARIABLES = frozenset({*NAMESPACES, PROFILE, "today"})
#: The longest text a repetition (`"x" * n`) may make, and the largest power a template may take.
LONGEST_REPETITION = 10_000
LARGEST_EXPONENT = 100
LARGEST_BASE = 10**100
#: Jinja's own filters a template may use: none that can make a text of any size (`center`, `indent`,
#: `wordwrap`) or reach objects (`attr`, `map`, `select` with attribute names).
JINJA_FILTERS = (
    "capitalize",
    "default",
    "first",
    "float",
    "int",
    "join",
    "last",
    "length",
    "lower",
    "replace",
    "round",
    "string",
    "title",
    "trim",
    "truncate",
    "upper",
)
#: How deep `{% for %}` loops may nest (three strings of 500 characters would already be 10⁸ rounds).
DEEPEST_LOOPS = 2
#: Characters that mean something in Markdown: escaped in values that go into an e-mail's HTML part.
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()<>#+-.!|~&")


@dataclass(frozen=True)
class Problem:
    """Why a text cannot be used, and on which line (None: not tied to a line)."""

    line: int | None
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        return _("line %(line)d: %(reason)s", line=self.line, reason=self.reason)


class RenderFailed(Exception):
    """A text could not be rendered; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class Words(list):
    """The labels of a multiple-choice answer: a list in a loop, "a, b, c" when printed."""

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self)


def markdown_escaped(value: Any) -> Any:
    """A value as literal text in Markdown: a person's words never become a link, heading or HTML."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).splitlines())
    return "".join(f"\\{char}" if char in _MARKDOWN_PUNCTUATION else char for char in text)


# --- Filters: Babel formatting in the template's language ------------------------------------------------


def _language(context: Context) -> str:
    return context.get(LANGUAGE_VARIABLE) or "nl"


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(_("format_date needs a date, not “%(value)s”", value=value)) from None


def _as_number(value: Any, filter_name: str) -> Decimal | int | float:
    if isinstance(value, bool):
        raise ValueError(_("%(filter)s needs a number, not “%(value)s”", filter=filter_name, value=value))
    if isinstance(value, (int, float, Decimal)):
        return value
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(
            _("%(filter)s needs a number, not “%(value)s”", filter=filter_name, value=value)
        ) from None


@pass_context
def format_date(context: Context, value: Any, format: str = "long") -> str:
    """A date in the template's language: `{{ profile["x"]|format_date }}`, `format_date("short")`."""
    if value in ("", None):
        return ""
    return dates.format_date(_as_date(value), format=format, locale=_language(context))


@pass_context
def format_datetime(context: Context, value: Any, format: str = "medium") -> str:
    """A moment in the template's language, in the organisation's time zone."""
    if value in ("", None):
        return ""
    if not isinstance(value, datetime):
        value = datetime.combine(_as_date(value), datetime.min.time())
    return dates.format_datetime(value, format=format, tzinfo=get_timezone(), locale=_language(context))


@pass_context
def format_number(context: Context, value: Any, format: str | None = None) -> str:
    """A number with the language's separators: 1.234,5 in Dutch, 1,234.5 in English."""
    if value in ("", None):
        return ""
    return numbers.format_decimal(
        _as_number(value, "format_number"), format=format, locale=_language(context)
    )


@pass_context
def format_currency(context: Context, value: Any, currency: str = "EUR") -> str:
    """An amount of money: `{{ 12.5|format_currency }}` is "€ 12,50" in Dutch."""
    if value in ("", None):
        return ""
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        raise ValueError(
            _("format_currency needs a currency code such as EUR, not “%(code)s”", code=currency)
        )
    amount = _as_number(value, "format_currency")
    return numbers.format_currency(amount, currency.upper(), locale=_language(context))


FILTERS: dict[str, Callable[..., str]] = {
    "format_date": format_date,
    "format_datetime": format_datetime,
    "format_number": format_number,
    "format_currency": format_currency,
}


# --- The environment --------------------------------------------------------------------------------------


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also refusing repetitions and powers that would take the worker down."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`*` and `**` within bounds; every other operator as the sandbox does it."""
        if operator == "**" and _number(right) and (abs(right) > LARGEST_EXPONENT or _too_big(left)):
            raise SecurityError(_("this power is too large"))
        if operator == "*":
            for text, times in ((left, right), (right, left)):
                repeated = isinstance(text, (str, list, tuple)) and _number(times)
                if repeated and len(text) * times > LONGEST_REPETITION:
                    raise SecurityError(_("this repetition is too long"))
        return super().call_binop(context, operator, left, right)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _too_big(value: Any) -> bool:
    return _number(value) and abs(value) > LARGEST_BASE


def _environment(finalize: Callable[[Any], Any] | None = None) -> TemplateSandbox:
    """The sandbox with only the allowed filters and no globals (`range`, `namespace`, `cycler`, …)."""
    environment = TemplateSandbox(undefined=StrictUndefined, autoescape=False, finalize=finalize)
    environment.filters = {name: environment.filters[name] for name in JINJA_FILTERS} | FILTERS
    environment.globals.clear()
    return environment


#: Texts as they are (e-mail's text part, SMS, push, in the app).
TEXT = _environment()
#: An e-mail body for its HTML part: every printed value escaped for Markdown, which escapes HTML.
MARKDOWN = _environment(finalize=markdown_escaped)


def render_text(source: str, variables: Mapping[str, Any], *, markdown: bool = False) -> str:
    """Render one text with the variables; raises RenderFailed with the line and reason."""
    environment = MARKDOWN if markdown else TEXT
    try:
        template = environment.from_string(source)
        template.name = TEMPLATE_NAME
        return template.render(variables)
    except TemplateSyntaxError as error:
        raise RenderFailed(syntax_problem(error)) from None
    except Exception as error:
        raise RenderFailed(Problem(_line_of(error), _reason(error))) from None


def render_email_html(source: str, variables: Mapping[str, Any]) -> Markup:
    """The HTML of an e-mail body: its Markdown rendered safely, with the values escaped."""
    return render_markdown(render_text(source, variables, markdown=True))


def _line_of(error: BaseException) -> int | None:
    """The line of the template's text where rendering failed, from the traceback Jinja rewrote."""
    lines = [
        frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == TEMPLATE_NAME
    ]
    return lines[-1] if lines else None


def _reason(error: BaseException) -> str:
    if isinstance(error, SecurityError):
        return _("this is not allowed in a template (%(detail)s)", detail=error)
    if isinstance(error, UndefinedError):
        return _("a value is missing: %(detail)s", detail=error)
    if isinstance(error, ZeroDivisionError):
        return _("division by zero")
    if isinstance(error, ValueError) and error.args:
        return str(error.args[0])
    return _("the text cannot be made (%(detail)s)", detail=f"{type(error).__name__}: {error}")


def syntax_problem(error: TemplateSyntaxError) -> Problem:
    """A parse error as a problem: the line, and Jinja's reason (in English: it comes from Jinja)."""
    return Problem(error.lineno, _("the text cannot be read: %(detail)s", detail=error.message or ""))


# --- The check before saving ------------------------------------------------------------------------------


def check_source(source: str, *, known: Collection[str], visible: Mapping[str, str]) -> list[Problem]:
    """The problems of one text: syntax, unknown variables and fields, profile keys unknown or not visible.

    `known`: every attribute key of the tenant; `visible`: the keys the writer's role may see, with
    their labels (to name a field the role may not see without showing more than its key).
    """
    try:
        tree = TEXT.parse(source)
    except TemplateSyntaxError as error:
        return [syntax_problem(error)]
    unknown_filters = [
        Problem(node.lineno, _("there is no filter “%(name)s” here", name=node.name))
        for node in tree.find_all(nodes.Filter)
        if node.name not in TEXT.filters
    ]
    if unknown_filters:  # Jinja's own analysis below stops at an unknown filter
        return unknown_filters
    problems: list[Problem] = []
    for name in sorted(meta.find_undeclared_variables(tree) - VARIABLES):
        problems.append(
            Problem(
                _first_line(tree, name),
                _("there is no field “%(name)s”; use person, profile, tenant, coach or today", name=name),
            )
        )
    reached: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        key = _constant_key(node)
        if isinstance(key, str) and key.startswith("_"):
            problems.append(Problem(node.lineno, _("names that start with _ are not allowed")))
            continue
        target = node.node
        if not isinstance(target, nodes.Name) or target.name not in VARIABLES - {"today"}:
            continue
        reached.add(id(target))
        problem = _field_problem(target.name, key, known, visible)
        if problem:
            problems.append(Problem(node.lineno, problem))
    for node in tree.find_all(nodes.Name):
        if node.name in VARIABLES - {"today"} and node.ctx == "load" and id(node) not in reached:
            problems.append(Problem(node.lineno, _whole_variable(node.name)))
    problems.extend(
        Problem(node.lineno, _("loops may be nested %(count)d deep at most", count=DEEPEST_LOOPS))
        for node in _too_deep_loops(tree)
    )
    return sorted(problems, key=lambda problem: problem.line or 0)


def _too_deep_loops(node: nodes.Node, depth: int = 0) -> list[nodes.For]:
    """The loops nested deeper than `DEEPEST_LOOPS` (each reported once, at the first too deep)."""
    found: list[nodes.For] = []
    for child in node.iter_child_nodes():
        inner = depth + isinstance(child, nodes.For)
        if isinstance(child, nodes.For) and inner > DEEPEST_LOOPS:
            found.append(child)
            continue
        found.extend(_too_deep_loops(child, inner))
    return found


def _constant_key(node: nodes.Getattr | nodes.Getitem) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    return node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else None


def _field_problem(
    variable: str, key: str | None, known: Collection[str], visible: Mapping[str, str]
) -> str | None:
    if variable != PROFILE:
        if key is None:
            return _whole_variable(variable)
        if key in NAMESPACES[variable]:
            return None
        fields = ", ".join(f"{variable}.{name}" for name in NAMESPACES[variable])
        return _(
            "%(variable)s has no field “%(name)s”; use %(fields)s", variable=variable, name=key, fields=fields
        )
    if key is None:
        return _whole_variable(PROFILE)
    if key not in known:
        return _("there is no profile field “%(key)s”", key=key)
    if key not in visible:
        return _("your role may not see the profile field “%(key)s”", key=key)
    return None


def _whole_variable(variable: str) -> str:
    if variable == PROFILE:
        return _('name one profile field in quotes, like profile["werk.sectors_wanted"]')
    fields = ", ".join(f"{variable}.{name}" for name in NAMESPACES[variable])
    return _("use one field of %(variable)s: %(fields)s", variable=variable, fields=fields)


def _first_line(tree: nodes.Template, name: str) -> int | None:
    return next((node.lineno for node in tree.find_all(nodes.Name) if node.name == name), None)
