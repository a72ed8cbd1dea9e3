"""A victim-focused action sent for approval, and a supervisor's decision on it."""

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
from bluestone.investigation.extensions import line_panels_for
from bluestone.investigation.forms import ApprovalRequestForm, DecisionForm
from bluestone.investigation.views._common import _form_page, _line_for, _user


@require_http_methods(["GET", "POST"])
@login_required
def line_approval(request: HttpRequest, pk: uuid.UUID, line: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return ApprovalRequestForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.victim_action_request_approval(
            actor=_user(request),
            line=_line_for(request, scoped, line),
            rationale=data["rationale"],
            less_intrusive_considered=data["less_intrusive_considered"],
            victim_agreed=data["victim_agreed"],
            victim_notice_given=data["victim_notice_given"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Ask a supervisor to approve a victim-focused action",
        make_form=make,
        save=save,
        success="The action is waiting for a supervisor's approval",
        intro="Probing the victim's account is a last resort. Say why it is necessary and proportionate, what less "
        "intrusive ways you considered, and record the victim's agreement or the notice they were given.",
        submit="Ask for approval",
        extra=lambda scoped: {"line": _line_for(request, scoped, line)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def line_decide(request: HttpRequest, pk: uuid.UUID, line: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return DecisionForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> services.LineDecision:
        return services.victim_action_decision_record(
            actor=_user(request),
            line=_line_for(request, scoped, line),
            approve=data["decision"] == "approve",
            note=data["note"],
            request=request,
        )

    def success(decision: services.LineDecision) -> str:
        return " ".join(["Your decision is recorded.", *decision.also_decided])

    def extra(scoped: CaseInScope) -> dict[str, Any]:
        shown = _line_for(request, scoped, line)
        return {"line": shown, "show_gate": True, "panels": line_panels_for(user=_user(request), line=shown)}

    return _form_page(
        request,
        pk,
        title="Decide on a victim-focused action",
        make_form=make,
        save=save,
        success=success,
        supervise=True,
        submit="Record the decision",
        extra=extra,
    )
