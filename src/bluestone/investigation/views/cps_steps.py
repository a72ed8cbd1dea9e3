"""A step with the Crown Prosecution Service."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from bluestone.cases.models import Case
from bluestone.cases.selectors import CaseInScope
from bluestone.investigation import services
from bluestone.investigation.forms import CpsForm
from bluestone.investigation.views._common import _form_page, _user


@require_http_methods(["GET", "POST"])
@login_required
def cps(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return CpsForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.cps_step_record(
            actor=_user(request),
            case=scoped.case,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            decision=data["decision"],
            reference=data["reference"],
            details=data["details"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Record a step with the CPS",
        make_form=make,
        save=save,
        success="The CPS step is recorded on the timeline",
        intro="The dates are used to measure how long charging decisions take.",
        submit="Record the step",
    )
