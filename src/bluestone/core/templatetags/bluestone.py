"""Template filters for how Bluestone writes dates, times and statuses (SERVICE-MAP.md), and the
match explanation's chart."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django import template
from django.utils import timezone

from bluestone.core import charts
from bluestone.core.text import in_sentence

register = template.Library()


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def govuk_date(value: dt.date | dt.datetime | None) -> str:
    """3 March 2026."""
    if value is None or value == "":
        return ""
    value = _local(value)
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_time(value: dt.datetime | dt.time | None) -> str:
    """2:30pm, 9am, midday, midnight: the GOV.UK style for times."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    hour, minute = value.hour, value.minute
    if minute == 0 and hour == 0:
        return "midnight"
    if minute == 0 and hour == 12:  # noqa: PLR2004
        return "midday"
    suffix = "am" if hour < 12 else "pm"  # noqa: PLR2004
    twelve_hour = hour % 12 or 12
    return f"{twelve_hour}{suffix}" if minute == 0 else f"{twelve_hour}:{minute:02d}{suffix}"


@register.filter
def govuk_datetime(value: dt.datetime | None) -> str:
    """3 March 2026 at 2:30pm."""
    if value is None or value == "":
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"


# GOV.UK tag colours for case statuses, from "just arrived" to "finished".
_STATUS_TAG_CLASSES = {
    "reported": "govuk-tag--light-blue",
    "under_investigation": "govuk-tag--blue",
    "with_cps": "govuk-tag--purple",
    "charged": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


@register.filter(name="in_sentence")
def in_sentence_filter(label: object) -> str:
    """A display label as it reads mid-sentence: see core.text.in_sentence."""
    return in_sentence(str(label)) if label is not None else ""


@register.filter
def status_tag_class(status: str) -> str:
    return _STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")


@register.filter
def probability(value: float | None) -> str:
    """A match probability as a percentage to one decimal place, rounded down: 0.9996 is "99.9%", never 100%."""
    if value is None:
        return "\N{EN DASH}"
    return f"{math.floor(value * 1000) / 10:.1f}%"


@register.filter
def percentage(value: float | None) -> str:
    """A share as a whole-number percentage, or a dash when there is nothing to divide by."""
    if value is None:
        return "\N{EN DASH}"
    return f"{round(value * 100)}%"


@register.inclusion_tag("core/guidance.html")
def guidance(key: str) -> dict[str, object]:
    """The practice note for this point of work, folded in a GOV.UK details component (nothing if none)."""
    from bluestone.core.guidance import guidance_for  # noqa: PLC0415

    return {"note": guidance_for(key)}


@register.simple_tag
def weights_chart(rows: list[dict[str, Any]]) -> str | None:
    """A match explanation's chart: each comparison's match weight as a bar either side of zero, drawn
    on the server like every chart (an SVG data URL); None when there is no row."""
    points = [{"label": str(row["label"]), "weight": float(row["weight"])} for row in rows]
    return charts.diverging(points, category="label", value="weight", value_title="Match weight")
