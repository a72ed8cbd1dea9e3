"""Posting a date the way the GOV.UK date input sends it: three boxes, day, month and year."""

from __future__ import annotations


def date_boxes(name: str, typed: str) -> dict[str, str]:
    """`date_boxes("due_on", "3/12/2026")` -> {"due_on_day": "3", "due_on_month": "12", "due_on_year": "2026"}."""
    day, month, year = typed.split("/")
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
