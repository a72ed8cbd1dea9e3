"""The auditor's pages: the access log (search, then download as CSV) and the check of the hash chain.

Only auditors may use them (`require_auditor`, before any input is read). Each is itself logged:
the access log shows personal data (who looked at which case, from which address), so every
search shown is a consultation; a download is a disclosure, with its recipient; a check of the
chain reads every entry.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bluestone.accounts.models import Role, User
from bluestone.audit.case_references import case_references
from bluestone.audit.forms import AccessLogSearchForm, ExportForm, SearchTarget, SecurityEventsForm, VerifyForm
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.selectors import (
    AuditFilters,
    audit_events_by_actor,
    audit_events_for_case,
    audit_events_for_person,
    require_auditor,
    security_events,
)
from bluestone.audit.services import audit_events_csv, audit_record
from bluestone.audit.verify import audit_log_verify_with_checkpoints
from bluestone.audit.words import record_name, what_happened
from bluestone.core import clock

PAGE_SIZE = 50
AUDIT_LOG = "audit.AuditEvent"
# Entries written about an account by nobody signed in: the username tried is in their details.
ACCOUNT_EVENTS = (AuditAction.SIGN_IN_FAILED, AuditAction.LOCKOUT)
ROLE_LABELS = dict(Role.choices)


def _auditor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    require_auditor(user)
    return user


def _within(queryset: QuerySet[AuditEvent], filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The dates and action of `filters`, as the selectors apply them (local calendar days, inclusive)."""
    if filters.date_from:
        start = timezone.make_aware(dt.datetime.combine(filters.date_from, dt.time.min))
        queryset = queryset.filter(occurred_at__gte=start)
    if filters.date_to:
        end = timezone.make_aware(dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min))
        queryset = queryset.filter(occurred_at__lt=end)
    if filters.actions:
        queryset = queryset.filter(action__in=[AuditAction(action).value for action in filters.actions])
    return queryset


def _events(*, user: User, target: SearchTarget, filters: AuditFilters) -> QuerySet[AuditEvent]:
    if target.kind == "case":
        assert isinstance(target.id, uuid.UUID)  # noqa: S101 (SearchTarget of a case)
        return audit_events_for_case(user=user, case_id=target.id, filters=filters)
    if target.kind == "person":
        assert isinstance(target.id, uuid.UUID)  # noqa: S101 (SearchTarget of a person)
        return audit_events_for_person(user=user, person_id=target.id, filters=filters)
    assert isinstance(target.id, int)  # noqa: S101 (SearchTarget of a user)
    by_them = audit_events_by_actor(user=user, actor_id=target.id, filters=filters)
    # A failed sign-in or a lockout has no actor (nobody was signed in), but it is about this account.
    about_them = _within(
        AuditEvent.objects.filter(actor__isnull=True, action__in=ACCOUNT_EVENTS, details__username=target.username),
        filters,
    )
    return by_them | about_them


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    role: str
    crime_reference: str
    attempted_username: str
    record_name: str
    what: str


def _rows(events: list[AuditEvent]) -> list[Row]:
    case_ids = {event.case_id for event in events if event.case_id}
    references = case_references(case_ids)
    return [
        Row(
            event=event,
            role=ROLE_LABELS.get(event.actor_role, event.actor_role),
            crime_reference=references.get(event.case_id, "") if event.case_id else "",
            attempted_username=str(event.details.get("username", "")) if event.actor_id is None else "",
            record_name=record_name(event.object_type),
            what=what_happened(event.object_type, event.details or {}),
        )
        for event in events
    ]


def _search_details(target: SearchTarget, filters: AuditFilters) -> dict[str, Any]:
    return {"search": target.as_details(), "filters": filters.as_details()}


def _indexing(target: SearchTarget) -> dict[str, Any]:
    """Index the auditor's own entry under the case or person searched, so it shows who looked."""
    return {
        "case": target.id if target.kind == "case" else None,
        "person": target.id if target.kind == "person" else None,
    }


def _access_log_page(
    request: HttpRequest,
    *,
    user: User,
    search_form: AccessLogSearchForm,
    export_form: ExportForm,
) -> HttpResponse:
    context: dict[str, Any] = {
        "search_form": search_form,
        "export_form": export_form,
        # The form whose errors the page's error summary lists.
        "form": search_form if search_form.errors else export_form,
        "page": None,
    }
    if not search_form.is_bound or not search_form.is_valid():
        return render(request, "audit/access_log.html", context)
    target, filters = search_form.target, search_form.filters
    paginator = Paginator(_events(user=user, target=target, filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Read the rows before logging, so the entry says what was shown, and is not among it.
    events = list(page.object_list)
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type=AUDIT_LOG,
        details={**_search_details(target, filters), "count": paginator.count, "page": page.number},
        **_indexing(target),
    )
    context.update(
        {
            "page": page,
            "rows": _rows(events),
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "ellipsis": Paginator.ELLIPSIS,
            "target": target,
            "query_values": search_form.query_values(),
        }
    )
    return render(request, "audit/access_log.html", context)


@never_cache
@require_GET
@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    search_form = AccessLogSearchForm(request.GET or None)
    return _access_log_page(request, user=user, search_form=search_form, export_form=ExportForm())


@never_cache
@require_POST
@login_required
def access_log_export(request: HttpRequest) -> HttpResponse:
    """The current search as CSV. The download is a disclosure: it is logged with its recipient."""
    user = _auditor(request)
    search_form = AccessLogSearchForm(request.POST)
    export_form = ExportForm(request.POST)
    if not (search_form.is_valid() and export_form.is_valid()):
        # The page again, with the search sent (and its results, if it is valid) and what to put right.
        return _access_log_page(request, user=user, search_form=search_form, export_form=export_form)
    target, filters = search_form.target, search_form.filters
    events = _events(user=user, target=target, filters=filters)
    out = io.StringIO()
    # If logging the disclosure fails, this raises and nothing is sent.
    audit_events_csv(
        user=user,
        events=events.iterator(),
        recipient=export_form.cleaned_data["recipient"],
        out=out,
        request=request,
        filters=_search_details(target, filters),
    )
    filename = f"access-log-{timezone.localtime(clock.now()):%Y%m%d-%H%M%S}.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_GET
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Check the whole hash chain now, and log that the auditor did."""
    user = _auditor(request)
    form = VerifyForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/verify.html", {"form": form, "result": None})
    expected: str = form.cleaned_data["expected_hash"] if form.is_bound else ""
    result = audit_log_verify_with_checkpoints(expected_hash=expected or None)
    broken = result.broken
    audit_record(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        object_type=AUDIT_LOG,
        details={
            "check": "verify",
            "intact": result.intact,
            "entries": result.entries,
            "last_sequence": result.last_sequence,
            "expected_hash_given": bool(expected),
            "broken": None if broken is None else {"kind": str(broken.kind), "sequence": broken.sequence},
        },
    )
    return render(request, "audit/verify.html", {"form": form, "result": result})


@never_cache
@require_GET
@login_required
def sign_ins(request: HttpRequest) -> HttpResponse:
    """Failed sign-ins, lockouts and break-glass accesses across the force, newest first."""
    user = _auditor(request)
    form = SecurityEventsForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_bound and not form.is_valid():
        return render(request, "audit/sign_ins.html", context)
    filters = form.filters if form.is_bound else AuditFilters()
    paginator = Paginator(security_events(user=user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    events = list(page.object_list)
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type=AUDIT_LOG,
        details={
            "list": "sign-ins and lockouts",
            "filters": filters.as_details(),
            "count": paginator.count,
            "page": page.number,
        },
    )
    context.update(
        {
            "page": page,
            "rows": _rows(events),
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "ellipsis": Paginator.ELLIPSIS,
            "filtered": bool(filters.date_from or filters.date_to or filters.actions),
        }
    )
    return render(request, "audit/sign_ins.html", context)
