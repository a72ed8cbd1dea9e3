"""Pre-charge bail: release, conditions, extension; and the administrators' bail authority page."""

from __future__ import annotations

import uuid
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bluestone.cases.models import Case
from bluestone.cases.selectors import CaseInScope
from bluestone.investigation import selectors, services
from bluestone.investigation.forms import (
    BailAuthorityForm,
    BailConditionsForm,
    BailEndForm,
    BailExtendForm,
    BailForm,
)
from bluestone.investigation.models import AuthorityLevel, Bail, BailAuthority
from bluestone.investigation.services import BAIL_INITIAL_MONTHS, add_months
from bluestone.investigation.views._common import (
    VICTIM_DUTY,
    _apply_errors,
    _case_page,
    _form_page,
    _log_view,
    _render_case,
    _suspects,
    _user,
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
def bail_end(request: HttpRequest, pk: uuid.UUID, bail: uuid.UUID) -> HttpResponse:
    def make(case: Case, data: Any) -> forms.Form:
        return BailEndForm(data)

    def save(scoped: CaseInScope, data: dict[str, Any]) -> None:
        services.bail_end(
            actor=_user(request),
            bail=_bail_for(request, scoped, bail),
            ended_on=data["ended_on"],
            reason=data["reason"],
            request=request,
        )

    return _form_page(
        request,
        pk,
        title="End pre-charge bail",
        make_form=make,
        save=save,
        success=f"Bail is ended. {VICTIM_DUTY}",
        intro="End bail when the suspect no longer has to answer it and no charge, release under investigation or "
        f"no further action ends it. {VICTIM_DUTY}",
        submit="End the bail",
        extra=lambda scoped: {"bail": _bail_for(request, scoped, bail)},
    )


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
