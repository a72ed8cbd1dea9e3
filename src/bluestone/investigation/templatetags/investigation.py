"""Relative due dates beside absolute ones (SERVICE-MAP.md): "due tomorrow, 4 March"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from bluestone.core import clock

register = template.Library()


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@register.filter
def due_phrase(value: dt.date | dt.datetime | None) -> str:
    """'overdue by 2 days, 1 March', 'due today, 3 March', 'due tomorrow, 4 March', 'due in 5 days, 8 March'."""
    if value is None or value == "":
        return "no due date"
    day = _day(value)
    absolute = f"{day.day} {day:%B}" if day.year == clock.today().year else f"{day.day} {day:%B %Y}"
    days = (day - clock.today()).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}, {absolute}"
    if days == 0:
        return f"due today, {absolute}"
    if days == 1:
        return f"due tomorrow, {absolute}"
    return f"due in {days} days, {absolute}"


@register.filter
def answer_label(value: str) -> str:
    return {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}.get(value, value)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> object:
    return mapping.get(key, {}) if isinstance(mapping, dict) else {}
