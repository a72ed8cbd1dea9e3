"""Filling a GOV.UK date input (three boxes in a fieldset named by its question) from a browser test."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page


def fill_date(page: Page, question: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=question)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
