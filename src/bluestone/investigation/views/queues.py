"""The work queues: my work, my team's, approvals, reviews due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
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
    request: HttpRequest,
    *,
    queue: str,
    rule: str,
    title: str,
    template: str = "investigation/queue.html",
    keep: Callable[[WorkItem], bool] | None = None,
) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule(rule, user):
        raise PermissionDenied("This page is not part of your role.")
    items = [item for item in work_items_for(user=user, queue=queue) if keep is None or keep(item)]
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


@dataclass(frozen=True)
class TeamQueue:
    """One count on the supervisor's landing page: which items it counts, and the list it links to."""

    key: str
    label: str
    counts: Callable[[WorkItem], bool]
    url_name: str = ""  # a page of its own; empty: Team work shows just these items (?show=key)


# The decisions listed under Approvals: victim-focused actions (each with the request it authorises,
# one entry for one decision), bail extensions and outcome sign-offs. Requests about victims decided on
# their own are counted and listed under Requests to authorise, so that no decision is counted twice.
APPROVALS_QUEUE = TeamQueue(
    "approvals",
    "Approvals",
    lambda i: i.queue == APPROVALS and i.kind != "Request to authorise",
    "investigation:approvals",
)

TEAM_QUEUES = (
    APPROVALS_QUEUE,
    TeamQueue("reviews", "Reviews due", lambda i: i.kind.startswith("Review"), "investigation:reviews-due"),
    TeamQueue("allocate", "Cases to allocate", lambda i: i.kind == "Case to allocate"),
    TeamQueue(
        "requests",
        "Requests to authorise",
        lambda i: i.kind == "Request to authorise",
        "evidence:requests-to-authorise",
    ),
    TeamQueue(
        "code",
        "Overdue Victims' Code duties",
        lambda i: i.kind in ("Victim update overdue", "Victim contact overdue"),
        "victims:team-compliance",
    ),
    TeamQueue("phones", "Phones due back", lambda i: i.kind == "Phone to return"),
)


# Team work's table is shown in pages of this many items: a team's queue runs to thousands at scale.
TEAM_WORK_PAGE_SIZE = 50


@require_GET
@login_required
def team_work(request: HttpRequest) -> HttpResponse:
    """The supervisor's landing page: a count for each queue, each linking to its list, then everything
    due across the team (team work and decisions waiting) in one table, or one queue's items (?show=),
    a page at a time (?page=; anything not a page number shows the first page, a number past the end the last).
    The counts and the logged count are of the whole team's queue, not of the page."""
    user = _user(request)
    if not rules.test_rule("investigation.view_team_work", user):
        raise PermissionDenied("This page is not part of your role.")
    everything = _unique(work_items_for(user=user, queue=TEAM_WORK) + work_items_for(user=user, queue=APPROVALS))
    shown = request.GET.get("show", "")
    chosen = next((queue for queue in TEAM_QUEUES if queue.key == shown), None)
    items = [item for item in everything if chosen.counts(item)] if chosen else everything
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="cases.WorkItem",
        details={"list": TEAM_WORK, "count": len(items), **({"show": chosen.key} if chosen else {})},
    )
    counts = [
        {
            "label": queue.label,
            "count": sum(1 for item in everything if queue.counts(item)),
            "href": reverse(queue.url_name)
            if queue.url_name
            else f"{reverse('investigation:team-work')}?show={queue.key}",
            "current": chosen is not None and chosen.key == queue.key,
        }
        for queue in TEAM_QUEUES
    ]
    paginator = Paginator(items, TEAM_WORK_PAGE_SIZE)
    page = paginator.page(_page_number(request.GET.get("page", ""), paginator.num_pages))
    shown_items = list(page.object_list)
    rows = [{"item": item, "case_url": url} for item, url in zip(shown_items, _case_urls(shown_items), strict=True)]
    return render(
        request,
        "investigation/team_work.html",
        {
            "title": "Team work",
            "rows": rows,
            "items": shown_items,
            "counts": counts,
            "chosen": chosen,
            "queue": TEAM_WORK,
            "page": page,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "ellipsis": Paginator.ELLIPSIS,
        },
    )


def _page_number(asked: str, pages: int) -> int:
    """The page asked for, or the nearest there is: the first for anything not a page number."""
    number = int(asked) if asked.strip().isdigit() else 1
    return min(max(number, 1), pages)


def _unique(items: list[WorkItem]) -> list[WorkItem]:
    """Items in both lists once (a decision waiting can also be due), overdue first, then by due time."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for item in items:
        if (item.kind, item.url) not in seen:
            seen.add((item.kind, item.url))
            kept.append(item)
    return sorted(kept, key=lambda i: (not i.overdue, i.due_at is None, i.due_at or 0))


@require_GET
@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    return _queue_page(
        request, queue=APPROVALS, rule="investigation.view_team_work", title="Approvals", keep=APPROVALS_QUEUE.counts
    )


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
