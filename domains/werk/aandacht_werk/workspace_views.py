"""The werk pages of the coach workspace: a person's job search and agreement, and the vacancy feed.

A coach sees only the people of their caseload (404 for anyone else, as everywhere in the workspace);
the vacancy feed is for staff who manage content.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import Permission, requires
from aandacht.db import utcnow
from aandacht.profiles.views import person_of_caseload
from aandacht_werk import service
from aandacht_werk.attributes import SECTORS
from aandacht_werk.chart import months_chart
from aandacht_werk.i18n import translations
from aandacht_werk.models import OUTCOMES
from aandacht_werk.vacancy_feed import FeedRefused, import_feed, read_rows, rows_outcomes
from aandacht_werk.words import ACTIVITY_WORDS, FEED_OUTCOME_WORDS, OUTCOME_WORDS

_ = translations.gettext
blueprint = Blueprint("werk_workspace", __name__, url_prefix="/workspace/werk", template_folder="templates")
#: How many months the strategy view shows.
MONTHS = 6
SECTOR_WORDS = {option.value: option.label for option in SECTORS}


@blueprint.context_processor
def domain_words() -> dict[str, object]:
    """The coach menu, and the words of activities, outcomes and sectors."""
    return {
        "menu": current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
        "activity_words": ACTIVITY_WORDS,
        "outcome_words": OUTCOME_WORDS,
        "sector_words": SECTOR_WORDS,
        "feed_outcome_words": FEED_OUTCOME_WORDS,
    }


@blueprint.route("/people/<uuid:person_id>/search", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def person_search(person_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """A person's agreement (set or change it), progress, and the search strategy over the months."""
    person = person_of_caseload(person_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = _save_agreement(person.id)
        if not errors:
            return redirect(url_for("werk_workspace.person_search", person_id=person.id))
    months = service.months_of_search(person.id, months=MONTHS)
    labels = [format_date(month.first_day, "MMM") for month in months]
    since = months[0].first_day
    overall = service.search_activity_summary([person.id], since)[person.id]
    page = render_template(
        "werk/person_search.html",
        person=person,
        status=service.agreement_status([person.id]).get(person.id),
        months=months,
        labels=labels,
        overall=overall,
        sectors=Counter(overall.sectors).most_common(),
        outcomes=OUTCOMES,
        chart=months_chart(
            months,
            labels=labels,
            title=_("Activities per month; the dark part is applications"),
            target_words=_("Agreed"),
        ),
        activities=service.activities_of(person.id, limit=30),
        errors=errors,
        today=utcnow().date(),
    )
    return page, 400 if errors else 200


def _save_agreement(person_id: uuid.UUID) -> dict[str, str]:
    """Set or end the agreement from the form; the errors per field (none when saved)."""
    if request.form.get("end"):
        service.end_agreement(person_id, on=utcnow().date())
        flash(_("The agreement has ended."), "info")
        return {}
    errors: dict[str, str] = {}
    per_month = request.form.get("per_month", "").strip()
    try:
        starts_on = date.fromisoformat(request.form.get("starts_on", "").strip())
    except ValueError:
        errors["starts_on"] = _("Fill in a date like 2026-03-31.")
    if not per_month.isdigit():
        errors["per_month"] = _("Fill in a number from 1 to %(most)d.", most=service.MOST_PER_MONTH)
    if errors:
        return errors
    try:
        service.set_agreement(
            person_id,
            per_month=int(per_month),
            starts_on=starts_on,
            reminders=request.form.get("reminders") == "on",
            set_by=g.principal.id,
        )
    except service.SearchInvalid as invalid:
        return invalid.errors
    flash(_("The agreement is saved."), "info")
    return {}


@blueprint.route("/vacancy-feed", methods=["GET", "POST"])
@requires(Permission.CONTENT_MANAGE)
def vacancy_feed() -> str | tuple[str, int]:
    """Upload a CSV or JSON feed of vacancies and read the report of every row."""
    report, refused = None, None
    source = request.form.get("source", "feed").strip() or "feed"
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            refused = _("Choose a file.")
        else:
            try:
                rows = read_rows(upload.read(), upload.filename)
                report = import_feed(rows, source=source, full=request.form.get("full") == "on")
            except FeedRefused as error:
                refused = str(error)
    page = render_template(
        "werk/vacancy_feed.html",
        report=report,
        refused=refused,
        source=source,
        totals=list(rows_outcomes(report)) if report else [],
    )
    return page, 400 if refused else 200
