"""Pages of the suspects app: the repeat-suspect register, identities, link review, disparity, tactics.

Views validate input and call selectors and services; what a user may see of each record is decided
in `suspects.selectors`, and every page that shows personal data logs it first.
"""

from __future__ import annotations

import uuid
from typing import Any

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluestone.accounts.models import Team, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record, audit_record_many
from bluestone.cases.forms import JustificationForm
from bluestone.cases.models import Case, PersonRecord
from bluestone.cases.services import case_need_duration, case_need_record
from bluestone.suspects import selectors
from bluestone.suspects.forms import (
    DecisionForm,
    MergeForm,
    RegisterFilterForm,
    SplitForm,
    TacticForm,
    TacticUpdateForm,
)
from bluestone.suspects.models import (
    Identity,
    IdentityMember,
    LinkExplanation,
    RunStatus,
    TacticRecord,
    TacticType,
)
from bluestone.suspects.services import (
    current_threshold,
    identity_merge,
    identity_split,
    link_decision_record,
    linkage_run_queue,
    tactic_record_create,
    tactic_record_update,
)

REGISTER_PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _log_people(
    request: HttpRequest, *, what: str, object_type: str, object_id: Any, person_ids: list[str], cases: dict[str, Any]
) -> None:
    """One s.62 consultation entry per record shown, indexed by person and case, in one transaction."""
    user = _user(request)
    audit_record_many(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        entries=[
            {
                "object_type": object_type,
                "object_id": object_id,
                "details": {"shown_on": what, "person_ids": person_ids},
            },
            *(
                {
                    "case": cases.get(person_id),
                    "person": person_id,
                    "object_type": "cases.PersonRecord",
                    "object_id": person_id,
                    "details": {"shown_on": what},
                }
                for person_id in person_ids
            ),
        ],
    )


# --- The register -------------------------------------------------------------------------------


@require_GET
@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RegisterFilterForm(
        request.GET or None,
        bands=[(key, label) for key, (label, _low, _high) in selectors.PRIORITY_BANDS.items()],
        tactic_types=TacticType.objects.filter(active=True),
        teams=list(Team.objects.order_by("name").values_list("pk", "name")),
    )
    filters = selectors.RegisterFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.RegisterFilters(
            band=form.cleaned_data["band"], tactics=form.cleaned_data["tactics"], team_id=form.cleaned_data["team"]
        )
    identities = selectors.register_identities(user=user, filters=filters)
    paginator = Paginator(identities, REGISTER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.register_rows(user=user, identities=page.object_list)
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="suspects.Identity",
        details={
            "list": "repeat suspects",
            "filters": {"band": filters.band, "tactics": filters.tactics, "team": filters.team_id},
            "count": paginator.count,
            "page": page.number,
        },
    )
    overdue = list(selectors.overdue_tactic_records(user=user, scope="all")[:10])
    return render(
        request,
        "suspects/register.html",
        {
            "page": page,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "ellipsis": Paginator.ELLIPSIS,
            "title": "Repeat suspects",
            "form": form,
            "filtered": bool(filters.band or filters.tactics or filters.team_id is not None),
            "rows": rows,
            "runs": selectors.latest_runs(user=user),
            "can_run": rules.test_rule("suspects.run_linkage", user),
            "weights": selectors.priority_parts(Identity()),
            "stable_threshold": settings.BLUESTONE_LINKAGE_STABLE_THRESHOLD,
            "overdue": [(record, selectors.identity_label(record.identity_id)) for record in overdue],
        },
    )


@require_POST
@login_required
def run_now(request: HttpRequest) -> HttpResponse:
    from bluestone.suspects.tasks import link_all  # noqa: PLC0415 (the task module imports the services)

    user = _user(request)
    if not rules.test_rule("suspects.run_linkage", user):
        raise PermissionDenied("Only analysts start a linkage run.")
    if selectors.latest_runs(user=user) and selectors.latest_runs(user=user)[0].status in (
        RunStatus.QUEUED,
        RunStatus.RUNNING,
    ):
        messages.info(request, "A linkage run is already waiting or running: its progress is shown below")
        return redirect("suspects:register")
    run = linkage_run_queue(actor=user)
    run_id = str(run.pk)
    transaction.on_commit(lambda: link_all.enqueue(run_id=run_id))
    messages.success(
        request, "Linkage run queued. It runs in the background: come back to this page to see its progress"
    )
    return redirect("suspects:register")


@require_GET
@login_required
def disparity(request: HttpRequest) -> HttpResponse:
    report = selectors.disparity_report(user=_user(request))
    return render(request, "suspects/disparity.html", {"report": report})


# --- An identity --------------------------------------------------------------------------------


def _identity_or_404(user: User, pk: uuid.UUID) -> selectors.IdentityDetail:
    try:
        return selectors.identity_get(user=user, pk=pk)
    except Identity.DoesNotExist as error:
        raise Http404("No such identity") from error


def _log_identity(request: HttpRequest, detail: selectors.IdentityDetail, *, what: str) -> None:
    cases = {str(v.person_id): v.case_id for link in detail.links for v in (link.a, link.b) if v is not None}
    cases |= {str(e.record.person_id): e.record.case_id for e in detail.timeline}
    _log_people(
        request,
        what=what,
        object_type="suspects.Identity",
        object_id=detail.identity.pk,
        person_ids=detail.person_ids,
        cases=cases,
    )


@require_GET
@login_required
def identity(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    detail = _identity_or_404(_user(request), pk)
    _log_identity(request, detail, what="identity page")
    return render(request, "suspects/identity.html", {"detail": detail})


def _member_choices(detail: selectors.IdentityDetail) -> list[tuple[str, str]]:
    return [
        (str(e.record.person_id), f"{e.record.name or e.record.pseudonym}, {e.record.case_label}")
        for e in detail.timeline
    ]


@require_http_methods(["GET", "POST"])
@login_required
def identity_split_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule("suspects.review_links", user):
        raise PermissionDenied
    detail = _identity_or_404(user, pk)
    form = SplitForm(request.POST or None, records=_member_choices(detail))
    if request.method == "POST" and form.is_valid():
        move = list(PersonRecord.objects.filter(pk__in=form.cleaned_data["move"]))
        try:
            identity_split(
                actor=user, identity=detail.identity, move=move, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The records are taken out of this identity and will be kept apart in every run")
            return redirect("suspects:register")
    _log_identity(request, detail, what="identity split page")
    return render(request, "suspects/identity_split.html", {"detail": detail, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def identity_merge_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule("suspects.review_links", user):
        raise PermissionDenied
    detail = _identity_or_404(user, pk)
    # The identities this one has scored links with: the candidates worth merging.
    members = {e.record.person_id for e in detail.timeline}
    linked = {
        link.b.person_id if link.a and link.a.person_id in members else link.a.person_id
        for link in detail.links
        if link.a and link.b and not (link.a.person_id in members and link.b.person_id in members)
    }
    candidates = sorted(
        set(
            IdentityMember.objects.filter(person_id__in=linked, identity__active=True)
            .exclude(identity=detail.identity)
            .values_list("identity_id", flat=True)
        ),
        key=str,
    )
    choices = [(str(c), selectors.identity_label(c)) for c in candidates]
    form = MergeForm(request.POST or None, identities=choices)
    if request.method == "POST" and form.is_valid():
        other = Identity.objects.get(pk=form.cleaned_data["other"])
        try:
            identity_merge(
                actor=user, identity=detail.identity, other=other, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The identities are merged and will be kept together in every run")
            member = IdentityMember.objects.filter(person_id__in=members).first()
            return redirect("suspects:identity", pk=member.identity_id if member else pk)
    _log_identity(request, detail, what="identity merge page")
    return render(request, "suspects/identity_merge.html", {"detail": detail, "form": form, "choices": choices})


# --- Link review --------------------------------------------------------------------------------


@require_GET
@login_required
def review(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    queue = selectors.review_queue(user=user)
    explanation = queue.first()
    if explanation is None:
        return render(request, "suspects/review_empty.html", {"threshold": current_threshold()})
    return redirect("suspects:pair", pk=explanation.pk)


def _pair_page(request: HttpRequest, pk: uuid.UUID, form: DecisionForm, need_form: JustificationForm) -> HttpResponse:
    user = _user(request)
    try:
        pair = selectors.pair_review_get(user=user, pk=pk)
    except LinkExplanation.DoesNotExist as error:
        raise Http404("No such link") from error
    cases = {str(pair.a.person_id): pair.a.case_id, str(pair.b.person_id): pair.b.case_id}
    _log_people(
        request,
        what="link review",
        object_type="suspects.LinkExplanation",
        object_id=pk,
        person_ids=list(cases),
        cases=cases,
    )
    remaining = selectors.review_queue(user=user).count()
    return render(
        request,
        "suspects/pair.html",
        {
            "pair": pair,
            "form": form,
            "need_form": need_form,
            "remaining": remaining,
            "case_need_days": case_need_duration().days,
            "identity_a_label": selectors.identity_label(pair.identity_a) if pair.identity_a else "",
            "identity_b_label": selectors.identity_label(pair.identity_b) if pair.identity_b else "",
        },
    )


def _need_form(data: Any = None) -> JustificationForm:
    return JustificationForm(data, what="the suspects' names and dates of birth on these two reports")


@require_http_methods(["GET", "POST"])
@login_required
def pair(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        try:
            shown = selectors.pair_review_get(user=user, pk=pk)
        except LinkExplanation.DoesNotExist as error:
            raise Http404("No such link") from error
        if form.is_valid():
            try:
                link_decision_record(
                    actor=user,
                    person_a=PersonRecord.objects.get(pk=shown.a.person_id),
                    person_b=PersonRecord.objects.get(pk=shown.b.person_id),
                    kind=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    explanation=shown.explanation,
                    only_if_undecided=True,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your decision is recorded. Every later linkage run keeps to it")
                return redirect("suspects:review")
    return _pair_page(request, pk, form, _need_form())


@require_POST
@login_required
def pair_case_need(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """An analyst records a case need on both reports to see the two suspects' names and dates of birth."""
    user = _user(request)
    try:
        shown = selectors.pair_review_get(user=user, pk=pk)
    except LinkExplanation.DoesNotExist as error:
        raise Http404("No such link") from error
    if not shown.case_need_cases:
        if not rules.test_rule("cases.view_case_analysis", user):
            raise PermissionDenied("Only analysts record a case need.")
        return redirect("suspects:pair", pk=pk)
    form = _need_form(request.POST)
    if not form.is_valid():
        return _pair_page(request, pk, DecisionForm(), form)
    with transaction.atomic():
        for case in Case.objects.filter(pk__in=shown.case_need_cases):
            case_need_record(
                actor=user, analyst=user, case=case, justification=form.cleaned_data["justification"], request=request
            )
    messages.success(request, "Your case need is recorded: the suspects' names and dates of birth are shown below")
    return redirect("suspects:pair", pk=pk)


# --- Tactics ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def tactic_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule("suspects.manage_tactics", user):
        raise PermissionDenied
    detail = _identity_or_404(user, pk)
    form = TacticForm(request.POST or None, owners=selectors.tactic_owners())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tactic_record_create(
                actor=user,
                identity=detail.identity,
                tactic=data["tactic"],
                status=data["status"],
                status_on=data["status_on"],
                owner=data["owner"],
                review_on=data["review_on"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The disruption tactic is recorded")
            return redirect(reverse("suspects:identity", kwargs={"pk": pk}) + "#tactics")
    return render(request, "suspects/tactic_form.html", {"detail": detail, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def tactic_update(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule("suspects.manage_tactics", user):
        raise PermissionDenied
    try:
        record = TacticRecord.objects.select_related("tactic", "owner").get(pk=pk)
    except TacticRecord.DoesNotExist as error:
        raise Http404("No such tactic") from error
    detail = _identity_or_404(user, record.identity_id)
    initial = {"status": record.status, "status_on": record.status_on, "review_on": record.review_on}
    form = TacticUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tactic_record_update(
                actor=user,
                record=record,
                status=data["status"],
                status_on=data["status_on"],
                review_on=data["review_on"],
                notes=data["notes"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The disruption tactic is updated")
            return redirect(reverse("suspects:identity", kwargs={"pk": record.identity_id}) + "#tactics")
    return render(request, "suspects/tactic_update.html", {"detail": detail, "form": form, "record": record})
