"""Pages of the investigation: the plan, timeline and outcome tabs of a case, the forms behind them,
the work queues and the plan templates. Each view loads the case through the case page's own
need-to-know (cases.views.case_tab_load), validates its form and calls one service or selector."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.extensions import APPROVALS, MY_WORK, TEAM_WORK, WorkItem, work_items_for
from bluestone.cases.middleware import read_only_page
from bluestone.cases.models import Case, Involvement, Role
from bluestone.cases.selectors import CaseInScope
from bluestone.cases.services import case_view_record
from bluestone.cases.views import case_tab_context, case_tab_load
from bluestone.core import clock
from bluestone.core.models import OutcomeType
from bluestone.investigation import selectors, services
from bluestone.investigation.extensions import line_panels_for
from bluestone.investigation.forms import (
    ApprovalRequestForm,
    BailAuthorityForm,
    BailConditionsForm,
    BailExtendForm,
    BailForm,
    ChargeForm,
    CpsForm,
    DecisionForm,
    LineAddForm,
    LineUpdateForm,
    OutcomeForm,
    ReasonForm,
    ReviewForm,
    SuspectEventForm,
    TemplateLineForm,
    VictimToldForm,
)
from bluestone.investigation.models import (
    AuthorityLevel,
    Bail,
    BailAuthority,
    InvestigationPlan,
    LineOfEnquiry,
    OutcomeDecision,
    PlanTemplate,
    PlanTemplateLine,
)
from bluestone.investigation.services import BAIL_INITIAL_MONTHS, REVIEW_PROMPTS, add_months, moment_of

VICTIM_DUTY = "The victim must be told within the Victims' Code deadline (see the Victim tab)."


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: beside its field where it names one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _case_page(
    request: HttpRequest, pk: uuid.UUID, *, supervise: bool = False, writes: bool = False
) -> tuple[CaseInScope | None, HttpResponse | None]:
    loaded = case_tab_load(request, pk)
    if isinstance(loaded, HttpResponse):
        return None, loaded
    if writes and rules.test_rule("cases.read_only_case", _user(request), loaded.case):
        # A form page under break glass: nothing to read here, and its POST would be refused.
        return None, read_only_page(request, loaded.case)
    if supervise and not rules.test_rule("investigation.supervise_case", _user(request), loaded.case):
        raise PermissionDenied("Only a supervisor of the case's team can do this.")
    return loaded, None


def _log_view(request: HttpRequest, scoped: CaseInScope, person_ids: list[str] | None = None) -> None:
    case_view_record(
        user=_user(request), case=scoped.case, basis=scoped.basis, person_ids=person_ids or [], request=request
    )


def _suspects(case: Case) -> Any:
    return Involvement.objects.filter(case=case, role=Role.SUSPECT).select_related("person")


def _render_case(
    request: HttpRequest, scoped: CaseInScope, template: str, current: str, **context: Any
) -> HttpResponse:
    return render(request, template, {**case_tab_context(request, scoped, current=current), **context})


def _form_page(
    request: HttpRequest,
    pk: uuid.UUID,
    *,
    title: str,
    make_form: Callable[[Case, Any], forms.Form],
    save: Callable[[CaseInScope, Any], Any],
    success: str,
    supervise: bool = False,
    intro: str = "",
    submit: str = "Save",
    back: str = "investigation:plan",
    extra: Callable[[CaseInScope], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A case form page: GET shows the form, POST validates it and calls `save(scoped, cleaned_data)`;
    a service's refusal goes back on the form, and nothing is written."""
    scoped, response = _case_page(request, pk, supervise=supervise, writes=True)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    form = make_form(scoped.case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(scoped, form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back, pk=pk)
    else:
        _log_view(request, scoped)
    context = {"form": form, "title": title, "intro": intro, "submit": submit, "back": back}
    if extra is not None:
        context |= extra(scoped)
    return _render_case(request, scoped, "investigation/case_form.html", "investigation:plan", **context)


# --- The plan tab -------------------------------------------------------------------------------


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
        services.line_add(
            actor=_user(request),
            plan=_plan_or_404(scoped.case),
            group=data["group"],
            title=data["title"],
            guidance=data["guidance"],
            owner=data["owner"],
            due_on=data["due_on"],
            intrusive_kind=data["intrusive_kind"],
            request=request,
        )

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


def _line_for(request: HttpRequest, scoped: CaseInScope, line_pk: uuid.UUID) -> LineOfEnquiry:
    try:
        return selectors.line_get(user=_user(request), case=scoped.case, pk=line_pk)
    except LineOfEnquiry.DoesNotExist as error:
        raise Http404("No such line of enquiry") from error


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

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.victim_action_decide(
            actor=_user(request),
            line=_line_for(request, scoped, line),
            approve=data["decision"] == "approve",
            note=data["note"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Decide on a victim-focused action",
        make_form=make,
        save=save,
        success="Your decision is recorded",
        supervise=True,
        submit="Record the decision",
        extra=lambda scoped: {"line": _line_for(request, scoped, line), "show_gate": True},
    )


# --- Supervisory review -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def review(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped, response = _case_page(request, pk, supervise=True)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    user = _user(request)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(
                actor=user,
                case=scoped.case,
                answers=form.answers(),
                directions=form.cleaned_data["directions"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, f"The review is recorded. The next one is due in {services.review_interval().days} days"
            )
            return redirect("investigation:plan", pk=pk)
    page = selectors.plan_page_get(user=user, case=scoped.case)
    if request.method != "POST":
        _log_view(request, scoped, page.person_ids)
    return _render_case(
        request, scoped, "investigation/review.html", "investigation:plan", form=form, page=page, prompts=REVIEW_PROMPTS
    )


# --- Suspect events, bail, CPS ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def suspect_event(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return SuspectEventForm(data, suspects=_suspects(case))

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.suspect_event_record(
            actor=_user(request),
            case=scoped.case,
            kind=data["kind"],
            suspect=data["suspect"],
            occurred_at=moment_of(data["occurred_on"]),
            details=data["details"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Record a suspect event",
        make_form=make,
        save=save,
        success=f"The event is recorded on the timeline. {VICTIM_DUTY}",
        intro=VICTIM_DUTY,
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


@require_http_methods(["GET", "POST"])
@login_required
def bail_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return BailForm(data, suspects=_suspects(case))

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.bail_record(
            actor=_user(request),
            case=scoped.case,
            suspect=data["suspect"],
            starts_on=data["starts_on"],
            conditions=data["conditions"],
            victim_views=data["victim_views"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Record release on pre-charge bail",
        make_form=make,
        save=save,
        success=f"Bail is recorded: it runs for {BAIL_INITIAL_MONTHS} months. {VICTIM_DUTY}",
        intro=f"Pre-charge bail runs {BAIL_INITIAL_MONTHS} months from the day it starts. Ask the victim for their "
        f"views on bail conditions before you set them. {VICTIM_DUTY}",
        submit="Record bail",
    )


def _bail_for(request: HttpRequest, scoped: CaseInScope, bail_pk: uuid.UUID) -> Bail:
    try:
        return selectors.bail_get(user=_user(request), case=scoped.case, pk=bail_pk)
    except Bail.DoesNotExist as error:
        raise Http404("No such bail") from error


@require_http_methods(["GET", "POST"])
@login_required
def bail_conditions(request: HttpRequest, pk: uuid.UUID, bail: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return BailConditionsForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.bail_conditions_change(
            actor=_user(request),
            bail=_bail_for(request, scoped, bail),
            conditions=data["conditions"],
            victim_views=data["victim_views"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Change bail conditions",
        make_form=make,
        save=save,
        success=f"The new bail conditions are recorded. {VICTIM_DUTY}",
        intro=VICTIM_DUTY,
        submit="Change the conditions",
        extra=lambda scoped: {"bail": _bail_for(request, scoped, bail)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def bail_extend(request: HttpRequest, pk: uuid.UUID, bail: uuid.UUID) -> HttpResponse:
    scoped, response = _case_page(request, pk, writes=True)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    user = _user(request)
    item = _bail_for(request, scoped, bail)
    initial = {"until": item.extension_requested_until, "reason": item.extension_request_reason}
    form = BailExtendForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "ask":
                services.bail_extension_request(
                    actor=user, bail=item, until=data["until"], reason=data["reason"], request=request
                )
                done = "Your request to extend bail is on the supervisors' approvals"
            else:
                services.bail_extend(
                    actor=user,
                    bail=item,
                    until=data["until"],
                    reason=data["reason"],
                    court_reference=data["court_reference"],
                    request=request,
                )
                done = f"Bail is extended. {VICTIM_DUTY}"
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("investigation:plan", pk=pk)
    else:
        _log_view(request, scoped)
    limits = [
        (add_months(item.starts_on, months), label) for months, label in ((6, "an inspector"), (9, "a superintendent"))
    ]
    return _render_case(
        request,
        scoped,
        "investigation/bail_extend.html",
        "investigation:plan",
        form=form,
        bail=item,
        limits=limits,
        authority=AuthorityLevel(services.user_bail_authority(user)),
    )


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


# --- Timeline and outcome tabs ------------------------------------------------------------------


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
        "A supervisor signs the outcome off before the case closes.",
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
        return DecisionForm(data, approve_label="Sign off and close the case", refuse_label="Return to the officer")

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.outcome_sign_off(
            actor=_user(request),
            decision=_decision_for(request, scoped, decision),
            approve=data["decision"] == "approve",
            note=data["note"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="Sign off the outcome",
        make_form=make,
        save=save,
        success="Your decision on the outcome is recorded",
        supervise=True,
        submit="Record the decision",
        back="investigation:outcome",
        extra=lambda scoped: {"decision": _decision_for(request, scoped, decision)},
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


# --- Queues -------------------------------------------------------------------------------------


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
    return render(request, template, {"title": title, "items": items, "cards": cards, "queue": queue, "today": today})


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


# --- Plan templates (administrators) ------------------------------------------------------------


@require_GET
@login_required
def templates(request: HttpRequest) -> HttpResponse:
    return render(request, "investigation/templates.html", {"templates": selectors.templates_list(user=_user(request))})


def _template_line_page(request: HttpRequest, *, template: PlanTemplate, line: PlanTemplateLine | None) -> HttpResponse:
    user = _user(request)
    initial = (
        {
            "group": line.group,
            "title": line.title,
            "guidance": line.guidance,
            "order": line.order,
            "due_days": line.due_days,
            "active": line.active,
        }
        if line
        else None
    )
    form = TemplateLineForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_line_save(
                actor=user,
                template=template,
                line=line,
                group=data["group"],
                title=data["title"],
                guidance=data["guidance"],
                order=data["order"],
                due_days=data["due_days"],
                active=data["active"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The template is saved. New plans use it from now on")
            return redirect("investigation:templates")
    return render(request, "investigation/template_line.html", {"form": form, "template": template, "line": line})


@require_http_methods(["GET", "POST"])
@login_required
def template_line_new(request: HttpRequest, template: int) -> HttpResponse:
    try:
        found = selectors.template_get(user=_user(request), pk=template)
    except PlanTemplate.DoesNotExist as error:
        raise Http404("No such template") from error
    return _template_line_page(request, template=found, line=None)


@require_http_methods(["GET", "POST"])
@login_required
def template_line(request: HttpRequest, line: int) -> HttpResponse:
    try:
        found = selectors.template_line_get(user=_user(request), pk=line)
    except PlanTemplateLine.DoesNotExist as error:
        raise Http404("No such template line") from error
    return _template_line_page(request, template=found.template, line=found)


# --- Bail authority (administrators) -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def bail_authority(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    authorities = selectors.bail_authorities_list(user=user)
    form = BailAuthorityForm(
        request.POST if request.method == "POST" else None, candidates=selectors.bail_authority_candidates()
    )
    if request.method == "POST" and form.is_valid():
        try:
            granted = services.bail_authority_grant(
                actor=user, user=form.cleaned_data["user"], level=form.cleaned_data["level"], request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            holder = granted.user.get_full_name() or granted.user.username
            messages.success(request, f"{holder} now has {granted.get_level_display().lower()} bail authority")
            return redirect("investigation:bail-authority")
    return render(request, "investigation/bail_authority.html", {"authorities": authorities, "form": form})


@require_POST
@login_required
def bail_authority_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule("investigation.manage_bail_authority", user):
        raise PermissionDenied("Bail authority is kept by administrators.")
    authority = BailAuthority.objects.select_related("user").filter(pk=pk).first()
    if authority is None:
        raise Http404("No such bail authority")
    if request.POST.get("confirm") == "yes":
        holder = authority.user.get_full_name() or authority.user.username
        try:
            services.bail_authority_revoke(actor=user, authority=authority, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{holder}'s bail authority is taken away")
    return redirect("investigation:bail-authority")
