"""The words and icons of activities and outcomes, for the pages and the reports."""

from __future__ import annotations

from aandacht_werk.i18n import lazy_gettext

#: Activity kind -> (what the person pressed, the name in lists, icon).
ACTIVITY_WORDS = {
    "application": (lazy_gettext("I applied"), lazy_gettext("Application"), "send"),
    "letter": (lazy_gettext("I wrote a letter"), lazy_gettext("Letter written"), "pencil"),
    "interview": (lazy_gettext("I had a job interview"), lazy_gettext("Job interview"), "messages"),
    "network": (lazy_gettext("I talked to someone I know"), lazy_gettext("Network contact"), "users"),
    "training": (lazy_gettext("I followed a course"), lazy_gettext("Course or training"), "school"),
    "other": (lazy_gettext("Something else for my search"), lazy_gettext("Other activity"), "dots"),
}
#: Outcome of an application -> (words, icon).
OUTCOME_WORDS = {
    "waiting": (lazy_gettext("Waiting for an answer"), "hourglass"),
    "no_answer": (lazy_gettext("No answer"), "mail-off"),
    "interview": (lazy_gettext("Invited for an interview"), "messages"),
    "rejected": (lazy_gettext("Not hired"), "x"),
    "hired": (lazy_gettext("Hired"), "trophy"),
}
#: The kinds whose logging offers the vacancies the person saved or applied to.
ABOUT_A_VACANCY = ("application", "interview")
#: What an import did with a row.
FEED_OUTCOME_WORDS = {
    "created": lazy_gettext("New"),
    "updated": lazy_gettext("Changed"),
    "unchanged": lazy_gettext("No changes"),
    "retired": lazy_gettext("Closed: taken out of the feed"),
    "refused": lazy_gettext("Refused"),
}
