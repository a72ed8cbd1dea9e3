"""Template filters for evidence pages: durations in words, the tag colour of a status."""

from __future__ import annotations

import datetime as dt

from django import template

from bluestone.evidence.clocks import duration_words

register = template.Library()


@register.filter
def duration(value: dt.timedelta | int | None) -> str:
    """A timedelta (or a number of seconds) as "3 hours 20 minutes"."""
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        value = dt.timedelta(seconds=value)
    return duration_words(abs(value))


_TAGS = {
    "awaiting": "govuk-tag--yellow",
    "authorised": "govuk-tag--green",
    "not_authorised": "govuk-tag--red",
    "victim_refused": "govuk-tag--grey",
    "completed": "govuk-tag--blue",
    "held": "govuk-tag--blue",
    "returned": "govuk-tag--green",
    "destroyed": "govuk-tag--grey",
    "stored": "govuk-tag--blue",
    "linked": "govuk-tag--green",
}


@register.filter
def evidence_tag(status: str) -> str:
    return _TAGS.get(status, "govuk-tag--grey")
