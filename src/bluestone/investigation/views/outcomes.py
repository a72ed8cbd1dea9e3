"""The timeline and outcome tabs, and the outcome proposed, signed off, told to the victim, reopened."""

from __future__ import annotations

import uuid
from typing import Any

import rules
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from bluestone.cases.models import Case
from bluestone.cases.selectors import CaseInScope
from bluestone.core.models import OutcomeType
from bluestone.investigation import selectors, services
from bluestone.investigation.forms import OutcomeForm, ReasonForm, SignOffForm, VictimToldForm
from bluestone.investigation.models import OutcomeDecision
from bluestone.investigation.views._common import (
    VICTIM_DUTY,
    _case_page,
    _form_page,
    _log_view,
    _render_case,
    _suspects,
    _user,
)


@require_GET
@login_required
def timeline(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped, response = _case_page(request, pk)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    events = selectors.timeline_get(user=_user(request), case=scoped.case)
    _log_view(request, scoped, [str(s.person_id) for s in _suspects(scoped.case)])
    return _render_case(request, scoped, "investigation/timeline.html", "investigation:timeline", events=events)


@require_GET
@login_required
def outcome(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped, response = _case_page(request, pk)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    user = _user(request)
    page = selectors.outcome_page_get(user=user, case=scoped.case)
    _log_view(request, scoped)
    return _render_case(
        request,
        scoped,
        "investigation/outcome.html",
        "investigation:outcome",
        page=page,
        can_supervise=rules.test_rule("investigation.supervise_case", user, scoped.case),
        victim_duty=VICTIM_DUTY,
    )


@require_http_methods(["GET", "POST"])
@login_required
def outcome_propose(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return OutcomeForm(data, outcome_types=selectors.outcome_type_choices())

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.outcome_propose(
            actor=_user(request),
            case=scoped.case,
            outcome_type=OutcomeType.objects.filter(code=data["outcome_type"]).first(),
            decided_on=data["decided_on"],
            rationale=data["rationale"],
            victim_informed=data["victim_informed"],
            victim_informed_on=data["victim_informed_on"],
            victim_told_right_to_review=data["victim_told_right_to_review"],
            override_reason=data["override_reason"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Propose an outcome",
        make_form=make,
        save=save,
        success="The outcome is waiting for a supervisor's sign-off",
        intro="Outcomes follow the Home Office rules: 15, 16 and 21 need a named suspect; 14 and 18 need none; "
        "16 needs the victim's withdrawal of support on record; 21 needs a record that the victim was told. "
        "They must also agree with the record: 1 needs a charge or a CPS decision to charge; 15 is refused while "
        "a suspect is on bail or a line of enquiry has not been started (a supervisor may override these two "
        "checks with a reason). A supervisor signs the outcome off before the case closes.",
        submit="Send for sign-off",
        back="investigation:outcome",
    )


def _decision_for(request: HttpRequest, scoped: CaseInScope, decision_pk: uuid.UUID) -> OutcomeDecision:
    try:
        return selectors.outcome_decision_get(user=_user(request), case=scoped.case, pk=decision_pk)
    except OutcomeDecision.DoesNotExist as error:
        raise Http404("No such outcome decision") from error


@require_http_methods(["GET", "POST"])
@login_required
def outcome_sign_off(request: HttpRequest, pk: uuid.UUID, decision: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return SignOffForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.outcome_sign_off(
            actor=_user(request),
            decision=_decision_for(request, scoped, decision),
            approve=data["decision"] == "approve",
            note=data["note"],
            override_reason=data["override_reason"],
            request=request,
        )

    def extra(scoped: CaseInScope) -> dict[str, Any]:
        found = _decision_for(request, scoped, decision)
        return {
            "decision": found,
            "checklist": services.closure_checklist(case=scoped.case, decision=found),
            "conflicts": services.outcome_conflicts_for(case=scoped.case, outcome_type=found.outcome_type),
        }

    return _form_page(
        request,
        pk,
        title="Sign off the outcome",
        make_form=make,
        save=save,
        success="Your decision on the outcome is recorded",
        supervise=True,
        intro="The case closes only when nothing is left open: check each item below.",
        submit="Record the decision",
        back="investigation:outcome",
        extra=extra,
    )


@require_http_methods(["GET", "POST"])
@login_required
def outcome_victim_told(request: HttpRequest, pk: uuid.UUID, decision: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return VictimToldForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.outcome_victim_told_record(
            actor=_user(request),
            decision=_decision_for(request, scoped, decision),
            told_on=data["told_on"],
            right_to_review=data["right_to_review"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Record that the victim was told of the outcome",
        make_form=make,
        save=save,
        success="Recorded: the victim was told of the outcome",
        submit="Record it",
        back="investigation:outcome",
        extra=lambda scoped: {"decision": _decision_for(request, scoped, decision)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def outcome_reopen(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return ReasonForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.case_reopen(actor=_user(request), case=scoped.case, reason=data["reason"], request=request)

    return _form_page(
        request,
        pk,
        title="Reopen the case",
        make_form=make,
        save=save,
        success="The case is reopened. Its earlier outcome stays in the history",
        supervise=True,
        intro="The outcome the case closed with stays in its history. A new review falls due.",
        submit="Reopen the case",
        back="investigation:outcome",
    )
