"""Staff pages for triage: the online reports queue, callbacks due, a report, and what to do with it.

Served on the staff surface only (bluestone/urls.py includes portal/triage/urls.py in its staff block).
Who may use them is decided by the selectors (portal/triage/selectors.py); views validate and call one service.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluestone.accounts.models import User
from bluestone.cases.models import Gender
from bluestone.portal.models import OnlineReport, ReporterKind, SafeTime
from bluestone.portal.report.services import callback_hours, callback_hours_for
from bluestone.portal.triage.forms import CallbackForm, CaseFromReportForm, IntelligenceForm, PortalLockForm
from bluestone.portal.triage.selectors import (
    callback_overdue,
    callbacks_due,
    online_report_get,
    online_reports_closed,
    online_reports_open,
)
from bluestone.portal.triage.services import (
    callback_attempt_record,
    online_report_case_create,
    online_report_intelligence_record,
    online_report_view_record,
)
from bluestone.victims.portal_throttle import portal_lock_lift, portal_lock_status


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _report(request: HttpRequest, pk: uuid.UUID) -> OnlineReport:
    try:
        return online_report_get(user=_user(request), pk=pk)
    except OnlineReport.DoesNotExist as missing:
        raise Http404 from missing


def _rows(reports: Any) -> list[dict[str, Any]]:
    return [{"report": report, "overdue": callback_overdue(report)} for report in reports]


@require_GET
@login_required
def online_reports(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "portal/triage/list.html",
        {
            "title": "Online reports",
            "rows": _rows(online_reports_open(user=user)),
            "closed": online_reports_closed(user=user),
            "empty": "No online reports are waiting. New reports from the public portal appear here.",
        },
    )


@require_GET
@login_required
def callbacks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/triage/list.html",
        {
            "title": "Callbacks due",
            "rows": _rows(callbacks_due(user=_user(request))),
            "callbacks_only": True,
            "empty": "No callbacks are due. Reports whose reporter has not yet been spoken to appear here.",
        },
    )


def _report_page(
    request: HttpRequest, report: OnlineReport, *, callback_form: CallbackForm | None = None, status: int = 200
) -> HttpResponse:
    online_report_view_record(actor=_user(request), report=report, request=request)
    safe_time_labels = dict(SafeTime.choices)
    safe_times = [str(safe_time_labels.get(code, code)) for code in report.safe_times.split(",") if code]
    return render(
        request,
        "portal/triage/report.html",
        {
            "report": report,
            "overdue": callback_overdue(report),
            "urgent_hours": callback_hours_for(report.when_happened),
            "usual_hours": callback_hours(),
            "safe_times": safe_times,
            # Not named `form`: the staff layout's error summary would link radios to no id.
            "callback_form": callback_form or CallbackForm(),
        },
        status=status,
    )


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _report_page(request, _report(request, pk))


@require_POST
@login_required
def callback_record(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    report = _report(request, pk)
    form = CallbackForm(request.POST)
    if form.is_valid():
        try:
            attempt = callback_attempt_record(
                actor=_user(request),
                report=report,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(request, f"Callback recorded: {attempt.get_outcome_display().lower()}.")
            return redirect("triage:report", pk=report.pk)
    return _report_page(request, report, callback_form=form)


def _case_initial(report: OnlineReport) -> dict[str, Any]:
    if report.kind == ReporterKind.MYSELF:
        first, last = report.first_name, report.last_name
    else:
        first, last = report.victim_first_name, report.victim_last_name
    return {
        "victim_first_name": first,
        "victim_last_name": last,
        "victim_gender": Gender.UNKNOWN,
        "location_description": report.where_happened,
    }


@require_http_methods(["GET", "POST"])
@login_required
def case_create(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    report = _report(request, pk)
    if report.is_anonymous or not report.is_open:
        return redirect("triage:report", pk=report.pk)
    form = CaseFromReportForm(request.POST if request.method == "POST" else None, initial=_case_initial(report))
    if request.method == "POST" and form.is_valid():
        try:
            case = online_report_case_create(actor=_user(request), report=report, request=request, **form.cleaned_data)
        except ValidationError as refused:
            problems = refused.message_dict.items() if hasattr(refused, "error_dict") else [("", refused.messages)]
            for field, errors in problems:
                form.add_error(field if field in form.fields else None, errors[0])
        else:
            messages.success(request, f"Case {case.crime_reference} created from online report {report.reference}.")
            return redirect("triage:report", pk=report.pk)
    return render(request, "portal/triage/case_create.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def intelligence_record(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    report = _report(request, pk)
    if not report.is_open:
        return redirect("triage:report", pk=report.pk)
    form = IntelligenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        online_report_intelligence_record(
            actor=_user(request), report=report, note=form.cleaned_data["note"], request=request
        )
        messages.success(request, f"Online report {report.reference} recorded as intelligence.")
        return redirect("triage:report", pk=report.pk)
    return render(request, "portal/triage/intelligence.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def portal_locks(request: HttpRequest) -> HttpResponse:
    """A victim who cannot sign in to follow their case calls 101: triage sees the locks on their
    reference and lifts them. Read from the reference typed, so it is the same for any reference."""
    user = _user(request)
    if not rules.test_rule("portal.view_online_reports", user):
        raise PermissionDenied("This page is for triage.")
    data = request.POST if request.method == "POST" else (request.GET if "reference" in request.GET else None)
    form = PortalLockForm(data)
    status = None
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data["reference"]
        if request.method == "POST":
            portal_lock_lift(actor=user, reference=reference, request=request)
            messages.success(request, "Any lock on that reference is lifted: the victim can try to sign in again now.")
            return redirect(f"{reverse('triage:portal-locks')}?{urlencode({'reference': reference})}")
        status = portal_lock_status(reference=reference)
    return render(request, "portal/triage/portal_locks.html", {"form": form, "status": status})
