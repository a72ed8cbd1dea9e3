"""The work queues: my work, my team's, approvals, reviews due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.extensions import APPROVALS, MY_WORK, TEAM_WORK, WorkItem, work_items_for
from bluestone.cases.models import Case
from bluestone.core import clock
from bluestone.investigation import selectors
from bluestone.investigation.views._common import _user


def _queue_page(
    request: HttpRequest, *, queue: str, rule: str, title: str, template: str = "investigation/queue.html"
) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule(rule, user):
        raise PermissionDenied("This page is not part of your role.")
    items = work_items_for(user=user, queue=queue)
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="cases.WorkItem",
        details={"list": queue, "count": len(items)},
    )
    today = clock.today()
    cards = _cards(items, today) if queue == MY_WORK else []
    rows = [{"item": item, "case_url": url} for item, url in zip(items, _case_urls(items), strict=True)]
    return render(
        request,
        template,
        {"title": title, "items": items, "rows": rows, "cards": cards, "queue": queue, "today": today},
    )


def _case_urls(items: list[WorkItem]) -> list[str]:
    """The case page of each item's case (one query for the whole queue), "" where an item has none.
    Every item in a queue is on a case the user may open (the sources apply need-to-know)."""
    references = {item.case_reference for item in items if item.case_reference}
    pages = {
        reference: reverse("cases:detail", args=[pk])
        for reference, pk in Case.objects.filter(crime_reference__in=references).values_list("crime_reference", "pk")
    }
    return [pages.get(item.case_reference, "") for item in items]


def _cards(items: list[WorkItem], today: dt.date) -> list[dict[str, Any]]:
    """What needs action today, counted: the cards at the top of My work."""

    def local_day(item: WorkItem) -> dt.date | None:
        return timezone.localdate(item.due_at) if item.due_at is not None else None

    return [
        {"label": "Overdue", "count": sum(1 for i in items if i.overdue)},
        {"label": "Due today", "count": sum(1 for i in items if not i.overdue and local_day(i) == today)},
        {"label": "Bail ending within 14 days", "count": sum(1 for i in items if i.kind.startswith("Bail"))},
        {"label": "All things to do", "count": len(items)},
    ]


@require_GET
@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, queue=MY_WORK, rule="investigation.view_my_work", title="My work")


@require_GET
@login_required
def team_work(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, queue=TEAM_WORK, rule="investigation.view_team_work", title="Team work")


@require_GET
@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, queue=APPROVALS, rule="investigation.view_team_work", title="Approvals")


@require_GET
@login_required
def reviews_due(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plans = selectors.reviews_due_plans(user=user)
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="investigation.InvestigationPlan",
        details={"list": "reviews_due", "count": len(plans)},
    )
    return render(request, "investigation/reviews_due.html", {"plans": plans, "now": clock.now()})
