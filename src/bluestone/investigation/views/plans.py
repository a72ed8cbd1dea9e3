"""The plan tab: the plan made from the template, its lines of enquiry added and updated."""

from __future__ import annotations

import uuid
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluestone.cases.models import Case
from bluestone.cases.selectors import CaseInScope
from bluestone.investigation import selectors, services
from bluestone.investigation.extensions import line_panels_for
from bluestone.investigation.forms import NOT_VICTIM_FOCUSED, LineAddForm, LineUpdateForm
from bluestone.investigation.models import InvestigationPlan, LineOfEnquiry
from bluestone.investigation.services import REVIEW_PROMPTS
from bluestone.investigation.views._common import (
    VICTIM_DUTY,
    _apply_errors,
    _case_page,
    _form_page,
    _log_view,
    _render_case,
    _user,
)


@require_GET
@login_required
def plan(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped, response = _case_page(request, pk)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    user = _user(request)
    page = selectors.plan_page_get(user=user, case=scoped.case)
    _log_view(request, scoped, page.person_ids)
    return _render_case(
        request,
        scoped,
        "investigation/plan.html",
        "investigation:plan",
        page=page,
        can_supervise=rules.test_rule("investigation.supervise_case", user, scoped.case),
        victim_duty=VICTIM_DUTY,
        prompts=REVIEW_PROMPTS,
    )


@require_POST
@login_required
def plan_create(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped, response = _case_page(request, pk)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    if request.POST.get("confirm") != "yes":
        # Only the page's own button creates a plan: a stray or empty request changes nothing.
        return redirect("investigation:plan", pk=pk)
    try:
        services.plan_create(actor=_user(request), case=scoped.case, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "The investigation plan is created from the template, suspect lines first")
    return redirect("investigation:plan", pk=pk)


def _plan_or_404(case: Case) -> InvestigationPlan:
    plan = InvestigationPlan.objects.filter(case=case).first()
    if plan is None:
        raise Http404("This case has no investigation plan yet.")
    return plan


@require_http_methods(["GET", "POST"])
@login_required
def line_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        _plan_or_404(case)
        return LineAddForm(data, owners=selectors.line_owner_choices(case))

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        kind = "" if data["intrusive_kind"] == NOT_VICTIM_FOCUSED else data["intrusive_kind"]
        common = {
            "actor": _user(request),
            "plan": _plan_or_404(scoped.case),
            "title": data["title"],
            "guidance": data["guidance"],
            "owner": data["owner"],
            "due_on": data["due_on"],
            "request": request,
        }
        if not kind:
            services.line_add(group=data["group"], **common)
            return
        # A victim-focused action: added and sent for approval at once, with what the approval needs.
        services.victim_action_add(
            intrusive_kind=kind,
            rationale=data["rationale"],
            less_intrusive_considered=data["less_intrusive_considered"],
            victim_agreed=data["victim_agreed"],
            victim_notice_given=data["victim_notice_given"],
            **common,
        )
        messages.info(request, "It is a victim-focused action: it is now waiting for a supervisor's approval")

    return _form_page(
        request,
        pk,
        title="Add a line of enquiry",
        make_form=make,
        save=save,
        success="The line of enquiry is added to the plan",
        intro="Suspect-focused lines come first. A victim-focused action is a last resort: it needs a rationale, "
        "the victim's agreement or notice, and a supervisor's approval before it can start.",
        submit="Add the line of enquiry",
    )


@require_http_methods(["GET", "POST"])
@login_required
def line(request: HttpRequest, pk: uuid.UUID, line: uuid.UUID) -> HttpResponse:
    scoped, response = _case_page(request, pk)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    user = _user(request)
    try:
        item = selectors.line_get(user=user, case=scoped.case, pk=line)
    except LineOfEnquiry.DoesNotExist as error:
        raise Http404("No such line of enquiry") from error
    owners = selectors.line_owner_choices(scoped.case)
    initial = {
        "owner": item.owner_id,
        "due_on": item.due_on,
        "status": item.status,
        "result": item.result,
        "linked_evidence": item.linked_evidence,
    }
    form = LineUpdateForm(request.POST if request.method == "POST" else None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.line_update(
                actor=user,
                line=item,
                owner=data["owner"],
                due_on=data["due_on"],
                status=data["status"],
                result=data["result"],
                linked_evidence=data["linked_evidence"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The line of enquiry is updated")
            return redirect("investigation:plan", pk=pk)
    else:
        _log_view(request, scoped)
    return _render_case(
        request,
        scoped,
        "investigation/line.html",
        "investigation:plan",
        form=form,
        line=item,
        line_panels=line_panels_for(user=user, line=item),
        can_supervise=rules.test_rule("investigation.supervise_case", user, scoped.case),
    )
