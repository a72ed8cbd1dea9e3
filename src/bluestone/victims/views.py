"""Staff pages for victims: the case's Victim tab and its forms, and the team's Code compliance.
Each view loads the case through the case page's need-to-know (cases.views.case_tab_load), checks
the form and calls one service."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluestone.accounts.models import User
from bluestone.cases.middleware import read_only_page
from bluestone.cases.selectors import CaseInScope
from bluestone.cases.services import case_view_record
from bluestone.cases.views import case_tab_context, case_tab_load
from bluestone.core import clock
from bluestone.core.templatetags.bluestone import govuk_datetime
from bluestone.victims import forms as victim_forms
from bluestone.victims.conf import contact_cadence_days, portal_lockout_minutes
from bluestone.victims.models import Obligation, ObligationStatus, PortalMessage, VictimProfile
from bluestone.victims.portal_throttle import portal_lock_lift, portal_lock_status
from bluestone.victims.selectors import (
    case_compliance,
    team_compliance,
    victim_panels_for_case,
    victim_profile_get,
)
from bluestone.victims.services import (
    PROFILE_FIELDS,
    contact_plan_set,
    obligation_not_applicable,
    portal_access_issue,
    portal_message_mark_read,
    portal_message_reply,
    victim_contact_record,
    victim_profile_update,
    victim_profiles_ensure,
    victim_support_change,
    victim_update_post,
)

TAB = "victims:case-victim"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _scoped(request: HttpRequest, pk: uuid.UUID) -> CaseInScope | HttpResponse:
    return case_tab_load(request, pk)


def _profile(request: HttpRequest, scoped: CaseInScope, profile_id: uuid.UUID) -> VictimProfile:
    try:
        return victim_profile_get(user=_user(request), case=scoped.case, profile_id=profile_id)
    except VictimProfile.DoesNotExist as error:
        raise Http404("No such victim on this case") from error


def _log_view(request: HttpRequest, scoped: CaseInScope, person_ids: list[str]) -> None:
    case_view_record(user=_user(request), case=scoped.case, basis=scoped.basis, person_ids=person_ids, request=request)


def _tab_url(scoped: CaseInScope, anchor: str = "") -> str:
    return reverse(TAB, kwargs={"pk": scoped.case.pk}) + (f"#{anchor}" if anchor else "")


def _form_page(
    request: HttpRequest,
    scoped: CaseInScope,
    *,
    form: Form,
    title: str,
    submit: str,
    profile: VictimProfile | None = None,
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    """A form about a victim: it shows their name and what the form holds (contact arrangements, duties),
    so every showing of it is a logged consultation (s.62), like the victim tab itself."""
    context = case_tab_context(request, scoped, current=TAB)
    if context["read_only"]:
        # A form page under break glass: nothing to read here, and its POST would be refused.
        return read_only_page(request, scoped.case)
    _log_view(request, scoped, [str(profile.involvement.person_id)] if profile is not None else [])
    context.update(
        {"form": form, "title": title, "submit": submit, "profile": profile, "intro": intro, "back": _tab_url(scoped)}
    )
    return render(request, "victims/form_page.html", context, status=status)


def _apply_errors(form: Form, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _at_noon_or_now(day: dt.date) -> dt.datetime:
    if day == clock.today():
        return clock.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@require_GET
@login_required
def case_victim(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    user = _user(request)
    panels = victim_panels_for_case(user=user, case=scoped.case)
    victims_without_profile = scoped.case.involvements.filter(role="victim", victim_profile__isnull=True).count()
    _log_view(request, scoped, [str(panel.profile.involvement.person_id) for panel in panels])
    context = case_tab_context(request, scoped, current=TAB)
    can_lift = rules.test_rule("victims.lift_portal_lock", user, scoped.case)
    context.update(
        {
            "panels": panels,
            "can_issue_portal_access": rules.test_rule("victims.issue_portal_access", user, scoped.case),
            "portal_lock": portal_lock_status(reference=scoped.case.crime_reference) if can_lift and panels else None,
            "lock_minutes": portal_lockout_minutes(),
            "victims_without_profile": victims_without_profile,
            "compliance": case_compliance(user=user, case=scoped.case),
            "today": clock.today(),
        }
    )
    return render(request, "victims/case_victim.html", context)


@require_POST
@login_required
def profile_start(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    victim_profiles_ensure(case_id=scoped.case.pk, actor=_user(request))
    return redirect(_tab_url(scoped))


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request: HttpRequest, pk: uuid.UUID, profile: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    victim = _profile(request, scoped, profile)
    initial = {name: getattr(victim, name) for name in PROFILE_FIELDS}
    form = victim_forms.ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            victim_profile_update(actor=_user(request), profile=victim, changes=form.cleaned_data, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Victim profile saved.")
            return redirect(_tab_url(scoped, "profile"))
    return _form_page(
        request, scoped, form=form, title="Victim profile and safe contact", submit="Save", profile=victim
    )


@require_http_methods(["GET", "POST"])
@login_required
def contact_plan(request: HttpRequest, pk: uuid.UUID, profile: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    victim = _profile(request, scoped, profile)
    initial = {
        "cadence_days": victim.plan_cadence_days or contact_cadence_days(),
        "agreed_on": victim.plan_agreed_on,
        "notes": victim.plan_notes,
    }
    form = victim_forms.ContactPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact_plan_set(
                actor=_user(request),
                profile=victim,
                cadence_days=form.cleaned_data["cadence_days"],
                agreed_on=form.cleaned_data["agreed_on"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Contact plan saved.")
            return redirect(_tab_url(scoped, "contact-plan"))
    return _form_page(request, scoped, form=form, title="Contact plan", submit="Save the plan", profile=victim)


def _open_obligations(victim: VictimProfile) -> Any:
    return Obligation.objects.filter(profile=victim, status=ObligationStatus.OPEN).select_related("right")


@require_http_methods(["GET", "POST"])
@login_required
def contact_record(request: HttpRequest, pk: uuid.UUID, profile: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    victim = _profile(request, scoped, profile)
    form = victim_forms.ContactForm(
        request.POST if request.method == "POST" else None,
        obligations=_open_obligations(victim),
        initial={"channel": victim.channel},
    )
    if request.method == "POST" and form.is_valid():
        try:
            victim_contact_record(
                actor=_user(request),
                profile=victim,
                occurred_at=_at_noon_or_now(form.cleaned_data["occurred_on"]),
                channel=form.cleaned_data["channel"],
                summary=form.cleaned_data["summary"],
                obligations=list(form.cleaned_data["obligations"]),
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Contact recorded.")
            return redirect(_tab_url(scoped, "contact-log"))
    return _form_page(
        request, scoped, form=form, title="Record a contact with the victim", submit="Record contact", profile=victim
    )


@require_http_methods(["GET", "POST"])
@login_required
def update_post(request: HttpRequest, pk: uuid.UUID, profile: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    victim = _profile(request, scoped, profile)
    form = victim_forms.UpdateForm(
        request.POST if request.method == "POST" else None, obligations=_open_obligations(victim)
    )
    if request.method == "POST" and form.is_valid():
        try:
            victim_update_post(
                actor=_user(request),
                profile=victim,
                text=form.cleaned_data["text"],
                obligations=list(form.cleaned_data["obligations"]),
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Update posted. The victim sees it when they sign in.")
            return redirect(_tab_url(scoped, "updates"))
    return _form_page(
        request,
        scoped,
        form=form,
        title="Write an update for the victim",
        submit="Post the update",
        profile=victim,
        intro="Do not include anything the victim does not already know about the suspect, or anything that "
        "could put them at risk if someone else read it.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def support_change(request: HttpRequest, pk: uuid.UUID, profile: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    victim = _profile(request, scoped, profile)
    withdrawing = victim.supports_investigation
    form_class = victim_forms.WithdrawForm if withdrawing else victim_forms.ReengageForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            victim_support_change(
                actor=_user(request),
                profile=victim,
                supports=not withdrawing,
                reason=form.cleaned_data["reason"],
                occurred_on=form.cleaned_data["occurred_on"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, "Recorded." if withdrawing else "Recorded: the victim supports the investigation again."
            )
            return redirect(_tab_url(scoped, "support"))
    title = "The victim withdraws support" if withdrawing else "The victim supports the investigation again"
    return _form_page(request, scoped, form=form, title=title, submit="Record", profile=victim)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def portal_access(request: HttpRequest, pk: uuid.UUID, profile: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    user = _user(request)
    if rules.test_rule("cases.read_only_case", user, scoped.case):
        return read_only_page(request, scoped.case)
    if not rules.test_rule("victims.issue_portal_access", user, scoped.case):
        raise PermissionDenied("Only the case's own team can give the victim access to follow the case online.")
    victim = _profile(request, scoped, profile)
    form = victim_forms.PortalAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        send = form.cleaned_data["how"] == "send"
        try:
            _access, code = portal_access_issue(actor=_user(request), profile=victim, send=send, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            context = case_tab_context(request, scoped, current=TAB)
            context.update({"code": None if send else code, "sent": send, "back": _tab_url(scoped, "portal")})
            # The code is shown this once and never stored: the page must not be cached.
            return render(request, "victims/portal_code.html", context)
    return _form_page(
        request,
        scoped,
        form=form,
        title="Give the victim access to follow their case online",
        submit="Create a code",
        profile=victim,
        intro="The victim signs in with the crime reference and a one-time code, then chooses a secret word. "
        "A new code replaces any earlier one, signs the victim out and asks them to choose a new secret word.",
    )


@require_POST
@login_required
def portal_lock_lift_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    portal_lock_lift(actor=_user(request), reference=scoped.case.crime_reference, case=scoped.case, request=request)
    messages.success(request, "The victim can try to sign in again now.")
    return redirect(_tab_url(scoped, "portal"))


@require_http_methods(["GET", "POST"])
@login_required
def obligation_not_applicable_view(request: HttpRequest, pk: uuid.UUID, obligation: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    duty = (
        Obligation.objects.select_related("right", "profile__involvement")
        .filter(pk=obligation, case=scoped.case)
        .first()
    )
    if duty is None:
        raise Http404("No such duty on this case")
    form = victim_forms.NotApplicableForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            obligation_not_applicable(
                actor=_user(request), obligation=duty, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Duty marked as not applicable.")
            return redirect(_tab_url(scoped, "obligations"))
    return _form_page(
        request,
        scoped,
        form=form,
        title=f"Not applicable: {duty.right.name}",
        submit="Mark as not applicable",
        profile=duty.profile,
    )


@require_POST
@login_required
def message_read(request: HttpRequest, pk: uuid.UUID, message: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    found = PortalMessage.objects.select_related("profile__involvement").filter(pk=message, case=scoped.case).first()
    if found is None:
        raise Http404("No such message on this case")
    portal_message_mark_read(actor=_user(request), message=found, request=request)
    return redirect(_tab_url(scoped, "messages"))


@require_GET
@login_required
def team_compliance_view(request: HttpRequest) -> HttpResponse:
    # Counts only, no personal data: nothing to log. Anyone but a supervisor with a team gets 403.
    rows = team_compliance(user=_user(request))
    return render(request, "victims/team_compliance.html", {"rows": rows, "title": "Victims' Code compliance"})


@require_http_methods(["GET", "POST"])
@login_required
def message_reply(request: HttpRequest, pk: uuid.UUID, message: uuid.UUID) -> HttpResponse:
    scoped = _scoped(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    found = (
        PortalMessage.objects.select_related("profile__involvement__person")
        .filter(pk=message, case=scoped.case)
        .first()
    )
    if found is None:
        raise Http404("No such message on this case")
    form = victim_forms.ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_message_reply(actor=_user(request), message=found, body=form.cleaned_data["body"], request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Reply sent. The victim reads it under their message when they sign in.")
            return redirect(_tab_url(scoped, "messages"))
    return _form_page(
        request,
        scoped,
        form=form,
        title="Reply to the victim's message",
        submit="Send the reply",
        profile=found.profile,
        intro=f"Their message, sent {govuk_datetime(found.sent_at)}: {found.body}",
    )
