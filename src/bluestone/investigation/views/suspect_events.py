"""What happened to a suspect (arrest, interview, RUI, NFA) and a charge."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bluestone.cases.models import Case
from bluestone.cases.selectors import CaseInScope
from bluestone.investigation import services
from bluestone.investigation.forms import ChargeForm, SuspectEventForm
from bluestone.investigation.services import moment_of
from bluestone.investigation.views._common import VICTIM_DUTY, _form_page, _suspects, _user


@require_http_methods(["GET", "POST"])
@login_required
def suspect_event(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return SuspectEventForm(data, suspects=_suspects(case))

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        relevant_time = None
        if data["custody_time"] is not None:
            relevant_time = timezone.make_aware(dt.datetime.combine(data["occurred_on"], data["custody_time"]))
        services.suspect_event_record(
            actor=_user(request),
            case=scoped.case,
            kind=data["kind"],
            suspect=data["suspect"],
            occurred_at=moment_of(data["occurred_on"]),
            details=data["details"],
            custody_number=data["custody_number"],
            relevant_time=relevant_time,
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Record a suspect event",
        make_form=make,
        save=save,
        success=f"The event is recorded on the timeline. {VICTIM_DUTY}",
        intro="For an arrest, give the custody record number and the time the suspect arrived at the police "
        f"station: the 24-hour detention clock runs from then. {VICTIM_DUTY}",
        submit="Record the event",
    )


@require_http_methods(["GET", "POST"])
@login_required
def charge(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return ChargeForm(data, suspects=_suspects(case))

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.charge_record(
            actor=_user(request),
            case=scoped.case,
            suspect=data["suspect"],
            occurred_at=moment_of(data["occurred_on"]),
            details=data["details"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Record a charge",
        make_form=make,
        save=save,
        success=f"The charge is recorded. {VICTIM_DUTY}",
        intro=f"Only a named suspect can be charged. {VICTIM_DUTY}",
        submit="Record the charge",
    )
