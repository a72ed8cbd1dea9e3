"""The case page's tabs and summary panels that other apps contribute.

The case page belongs to `cases`, but its tabs (Investigation plan, Victim, Evidence, Suspect
history...) belong to the apps that own their data, and `cases` must not import those apps. So each
app registers its tab, and any panel it adds to the summary, in its AppConfig.ready():

    register_case_tab(CaseTab(label="Victim", url_name="victims:case-victim", order=40))
    register_case_panel(CasePanel(template="suspects/includes/case_panel.html", context=..., order=10))

Tabs appear in `order` (SERVICE-MAP.md: Summary 0 · People 10 · Investigation plan 30 · Victim 40 ·
Evidence 50 · Suspect history 60 · Timeline 70 · Outcome 80), each only to a user its rule lets in.
A tab's view takes the case's `pk` as its URL argument, loads the case with
`cases.selectors.case_get_in_scope` (the same need-to-know as the case page), logs the view, and
renders a template that extends "cases/case_base.html" with `case_tabs_for(...)` in its context.

Work queues (My work, Team work, Approvals, triage) are gathered the same way: each app registers a
`WorkSource` and the queue pages call `work_items_for(user=..., queue=...)`.

So is the checklist for closing a case: each app registers a `ClosureCheck` listing what it still
holds open on the case (bail, exhibits, requests, Victims' Code duties), and signing off the outcome
is refused while any item is open (`closure_items_for(case=...)`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.urls import reverse


@dataclass(frozen=True)
class CaseTab:
    label: str
    url_name: str
    order: int
    # A rule taking (user, case); the tab shows only where it passes. Empty: whoever sees the case.
    rule: str = ""


@dataclass(frozen=True)
class CasePanel:
    """A block on the case summary. `context(user, case)` returns the template's context, or None to
    show nothing; it must apply need-to-know itself, as a selector does."""

    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int


_tabs: list[CaseTab] = []
_panels: list[CasePanel] = []

SUMMARY = CaseTab(label="Summary", url_name="cases:detail", order=0)


def register_case_tab(tab: CaseTab) -> None:
    if all(existing.url_name != tab.url_name for existing in _tabs):
        _tabs.append(tab)
        _tabs.sort(key=lambda t: t.order)


def register_case_panel(panel: CasePanel) -> None:
    if all(existing.template != panel.template for existing in _panels):
        _panels.append(panel)
        _panels.sort(key=lambda p: p.order)


def case_tabs_for(*, user: Any, case: Any, current: str) -> list[dict[str, Any]]:
    """The case's sub-navigation for this user: label, link, and whether it is the page shown."""
    tabs = [SUMMARY, *_tabs]
    return [
        {
            "label": tab.label,
            "href": reverse(tab.url_name, kwargs={"pk": case.pk}),
            "current": tab.url_name == current,
        }
        for tab in tabs
        if not tab.rule or rules.test_rule(tab.rule, user, case)
    ]


def case_panels_for(*, user: Any, case: Any) -> list[dict[str, Any]]:
    """The summary's extra panels that have something to show to this user."""
    shown = []
    for panel in _panels:
        context = panel.context(user, case)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown


# --- Work queues --------------------------------------------------------------------------------
# "My work", "Team work", "Approvals" and the triage queue gather items from several apps (Code
# deadlines from victims, lines of enquiry and bail from investigation, phones to return from
# evidence...). Each app registers a source; the page that shows a queue asks every source.

MY_WORK = "my_work"  # the investigator's own: their cases, actions they own
TEAM_WORK = "team_work"  # a supervisor's team: everything due across the team's cases
APPROVALS = "approvals"  # a supervisor's decisions waiting: victim-focused actions, requests, bail, outcomes
TRIAGE = "triage"  # the control room: online reports and callbacks due


@dataclass(frozen=True)
class WorkItem:
    """One thing someone must do, with the exact place to do it."""

    queue: str
    kind: str  # a short label, sentence case: "Victim update due", "Bail expires"
    description: str  # what and for whom, without a victim's name (queues may be on a shared screen)
    url: str
    due_at: Any  # datetime.datetime (timezone-aware) or None when there is no deadline
    case_reference: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class WorkSource:
    name: str
    # items(user, queue) -> the items this source has for that user in that queue, with need-to-know
    # applied (an investigator sees their own work, a supervisor their team's).
    items: Callable[[Any, str], list[WorkItem]]


_work_sources: list[WorkSource] = []


def register_work_source(source: WorkSource) -> None:
    if all(existing.name != source.name for existing in _work_sources):
        _work_sources.append(source)


def work_items_for(*, user: Any, queue: str) -> list[WorkItem]:
    """Every source's items for the user in one queue, overdue first, then by due time (undated last)."""
    items = [item for source in _work_sources for item in source.items(user, queue)]
    return sorted(items, key=lambda i: (not i.overdue, i.due_at is None, i.due_at or 0))


# --- Closing a case -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosureItem:
    """One obligation a case may still hold when it is to close, with where to resolve it."""

    area: str  # "Bail", "Exhibits", "Requests", "Victims' Code", "The victim"
    description: str  # what is open or how it was resolved, without a victim's name
    url: str
    resolved: bool
    action: str = ""  # the link's words, for an open item


@dataclass(frozen=True)
class ClosureCheck:
    name: str
    # items(case) -> everything this app holds on the case that closing must resolve, resolved or not.
    items: Callable[[Any], list[ClosureItem]]


_closure_checks: list[ClosureCheck] = []


def register_closure_check(check: ClosureCheck) -> None:
    if all(existing.name != check.name for existing in _closure_checks):
        _closure_checks.append(check)


def closure_items_for(*, case: Any) -> list[ClosureItem]:
    """Every app's closure items for the case, open ones first. The caller applies need-to-know."""
    items = [item for check in _closure_checks for item in check.items(case)]
    return sorted(items, key=lambda i: i.resolved)


# --- Allocating a case --------------------------------------------------------------------------
# The allocation page lists the officers of the case's team. The app that knows their caseload
# (workforce) says, for each, what they carry and whether another case would put them over the limit.


@dataclass(frozen=True)
class AllocationAdvice:
    """What the allocation page says beside an officer: their load and whether it is over the threshold."""

    summary: str  # "7 open cases, weighted load 9.5 (threshold 12)"
    over_threshold: bool


_allocation_advisers: list[Callable[[Any], dict[int, AllocationAdvice]]] = []


def register_allocation_adviser(adviser: Callable[[Any], dict[int, AllocationAdvice]]) -> None:
    """`adviser(officers)` returns advice by officer id for the officers given."""
    if adviser not in _allocation_advisers:
        _allocation_advisers.append(adviser)


def allocation_advice_for(*, officers: Any) -> dict[int, AllocationAdvice]:
    advice: dict[int, AllocationAdvice] = {}
    for adviser in _allocation_advisers:
        advice |= adviser(list(officers))
    return advice
