"""Reads for triage. Every selector takes the acting user and refuses anyone but triage."""

from __future__ import annotations

import uuid
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.urls import reverse

from bluestone.cases.extensions import TRIAGE, WorkItem
from bluestone.core import clock
from bluestone.portal.models import OnlineReport, ReportStatus


def _require_triage(user: Any) -> None:
    if not rules.test_rule("portal.view_online_reports", user):
        raise PermissionDenied


def online_reports_open(*, user: Any) -> QuerySet[OnlineReport]:
    """Reports waiting for triage: callbacks not yet made, soonest due first (so overdue first), then
    anonymous reports (no callback), then reports whose reporter has been spoken to."""
    _require_triage(user)
    # Explicit NULL placement: SQLite and PostgreSQL put NULLs at opposite ends by default.
    return OnlineReport.objects.filter(status=ReportStatus.WAITING).order_by(
        F("callback_made_at").asc(nulls_first=True), F("callback_due_at").asc(nulls_last=True), "submitted_at"
    )


def callbacks_due(*, user: Any) -> QuerySet[OnlineReport]:
    """Waiting reports whose reporter has not yet been spoken to, soonest due first."""
    _require_triage(user)
    return OnlineReport.objects.filter(
        status=ReportStatus.WAITING, callback_made_at__isnull=True, callback_due_at__isnull=False
    ).order_by("callback_due_at")


def online_reports_closed(*, user: Any, limit: int = 20) -> QuerySet[OnlineReport]:
    _require_triage(user)
    return (
        OnlineReport.objects.exclude(status=ReportStatus.WAITING).select_related("case").order_by("-closed_at")[:limit]
    )


def online_report_get(*, user: Any, pk: uuid.UUID) -> OnlineReport:
    """One report for triage (raises OnlineReport.DoesNotExist, or PermissionDenied for anyone else)."""
    _require_triage(user)
    return (
        OnlineReport.objects.select_related("case", "closed_by").prefetch_related("callbacks__attempted_by").get(pk=pk)
    )


def callback_overdue(report: OnlineReport) -> bool:
    return (
        report.callback_due_at is not None
        and report.callback_made_at is None
        and report.is_open
        and report.callback_due_at < clock.now()
    )


def triage_work_items(user: Any, queue: str) -> list[WorkItem]:
    """The triage queue's items (cases.extensions WorkSource): callbacks due, then anonymous reports
    to record as intelligence. Descriptions carry no name: queues may be on a shared screen."""
    if queue != TRIAGE or not rules.test_rule("portal.view_online_reports", user):
        return []
    items = []
    for report in online_reports_open(user=user):
        url = reverse("triage:report", kwargs={"pk": report.pk})
        description = f"Online report {report.reference}"
        if report.is_anonymous:
            kind, due_at = "Anonymous report", None
        elif report.callback_made_at is None:
            kind, due_at = "Callback due", report.callback_due_at
        else:
            kind, due_at = "Decide: case or intelligence", None
        items.append(
            WorkItem(
                queue=TRIAGE,
                kind=kind,
                description=description,
                url=url,
                due_at=due_at,
                overdue=callback_overdue(report),
            )
        )
    return items
