"""The administrators' pages: users, teams and roles. Reading the list or a user's page is logged."""

from __future__ import annotations

from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluestone.accounts.lockout import sign_in_is_locked
from bluestone.accounts.models import Team, User
from bluestone.administration import services
from bluestone.administration.forms import (
    ImportForm,
    ReasonForm,
    SupportServiceForm,
    TeamForm,
    UserCreateForm,
    UserDetailsForm,
    UserPasswordForm,
    UserRoleForm,
    UserTeamForm,
)
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.portal.models import SupportService

IMPORT_MAX_BYTES = 1_000_000


def _administrator(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not rules.test_rule("administration.manage_users", user):
        raise PermissionDenied("Users and teams are kept by administrators.")
    return user


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET"])
@login_required
def users(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    people = list(User.objects.select_related("team").order_by("-is_active", "last_name", "first_name", "username"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.LIST,
            request=request,
            object_type="accounts.User",
            details={"count": len(people)},
        )
    return render(request, "administration/users.html", {"people": people})


@require_http_methods(["GET", "POST"])
@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                actor=actor,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                team=form.chosen_team(),
                password=data["password"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, f"{created.get_full_name()} can now be given work as {created.get_role_display()}"
            )
            return redirect("administration:user", pk=created.pk)
    return render(request, "administration/user_new.html", {"form": form})


# The forms on a user's page: each posts its own `action`, and a form with errors is shown again.
ACTIONS: dict[str, tuple[type[forms.Form], dict[str, Any]]] = {
    "details": (UserDetailsForm, {}),
    "role": (UserRoleForm, {}),
    "team": (UserTeamForm, {}),
    "password": (UserPasswordForm, {}),
    "active": (ReasonForm, {"label": "Why"}),
    "second_factor": (ReasonForm, {"label": "Why the second factor is reset"}),
    "unlock": (ReasonForm, {"label": "Why the account is unlocked"}),
    "force_account": (ReasonForm, {"label": "Why the account is untied from the force account"}),
}


def _forms(person: User, bound: str = "", data: Any = None) -> dict[str, forms.Form]:
    initial = {
        "details": {"first_name": person.first_name, "last_name": person.last_name, "email": person.email},
        "role": {"role": person.role},
        "team": {"team": str(person.team_id or "")},
    }
    made = {}
    for name, (form_class, options) in ACTIONS.items():
        made[name] = form_class(data if name == bound else None, prefix=name, initial=initial.get(name), **options)
    return made


def _run(action: str, actor: User, person: User, form: Any, request: HttpRequest) -> str:  # noqa: PLR0911 (one return per form)
    """Do what the posted form asks and return the message to show."""
    data = form.cleaned_data
    name = person.get_full_name() or person.username
    if action == "details":
        services.user_update(
            actor=actor,
            user=person,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            request=request,
        )
        return f"{person.get_full_name() or person.username}'s details are saved"
    if action == "role":
        services.user_set_role(actor=actor, user=person, role=data["role"], request=request)
        return f"{name} is now {person.get_role_display().lower()}"
    if action == "team":
        services.user_set_team(actor=actor, user=person, team=form.chosen_team(), request=request)
        return f"{name} is now in {person.team.name if person.team else 'no team'}"
    if action == "password":
        services.user_set_password(actor=actor, user=person, password=data["password"], request=request)
        return f"{name}'s password is set and their sessions are ended"
    if action == "active":
        return _toggle_active(actor, person, data["reason"], request)
    if action == "second_factor":
        services.user_reset_second_factor(actor=actor, user=person, reason=data["reason"], request=request)
        return f"{name}'s second factor is reset: they set up an authenticator app at their next sign-in"
    if action == "force_account":
        services.user_untie_force_account(actor=actor, user=person, reason=data["reason"], request=request)
        return f"{name} is untied from their force account and signed out"
    services.user_unlock(actor=actor, user=person, reason=data["reason"], request=request)
    return f"{name}'s account is unlocked"


def _toggle_active(actor: User, person: User, reason: str, request: HttpRequest) -> str:
    name = person.get_full_name() or person.username
    if person.is_active:
        services.user_deactivate(actor=actor, user=person, reason=reason, request=request)
        return f"{name} is deactivated and signed out"
    services.user_reactivate(actor=actor, user=person, reason=reason, request=request)
    return f"{name} can sign in again"


@require_http_methods(["GET", "POST"])
@login_required
def user(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _administrator(request)
    person = User.objects.select_related("team").filter(pk=pk).first()
    if person is None:
        raise Http404("No such user")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTIONS:
        action = ""
    page_forms = _forms(person, action, request.POST if action else None)
    failed = None
    if action:
        form = page_forms[action]
        if form.is_valid():
            try:
                message = _run(action, actor, person, form, request)
            except ValidationError as error:
                _apply_errors(form, error)
                failed = form
            else:
                messages.success(request, message)
                return redirect("administration:user", pk=person.pk)
        else:
            failed = form
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.CONSULTATION,
            request=request,
            object_type="accounts.User",
            object_id=person.pk,
        )
    context = {
        "person": person,
        "forms": page_forms,
        "form": failed,
        "has_second_factor": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        "locked": sign_in_is_locked(request=request, user=person),
    }
    return render(request, "administration/user.html", context, status=200)


@require_http_methods(["GET", "POST"])
@login_required
def teams(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=actor, code=form.cleaned_data["code"], name=form.cleaned_data["name"], request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{team.name} is added")
            return redirect("administration:teams")
    listing = Team.objects.order_by("name").prefetch_related("users")
    return render(request, "administration/teams.html", {"teams": listing, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def users_import(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", "The file must be smaller than 1MB")
        else:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                form.add_error("file", "The file must be CSV saved as UTF-8")
            else:
                report = services.users_import_csv(
                    actor=actor, text=text, dry_run=form.cleaned_data["dry_run"], request=request
                )
                if report.ok and not report.dry_run:
                    messages.success(request, f"{len(report.created)} users are created")
                    return redirect("administration:users")
    return render(
        request, "administration/import.html", {"form": form, "report": report, "columns": services.CSV_COLUMNS}
    )


@require_http_methods(["GET"])
@login_required
def support_services(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    listing = SupportService.objects.order_by("position", "name")
    return render(request, "administration/support_services.html", {"services": listing})


@require_http_methods(["GET", "POST"])
@login_required
def support_service(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _administrator(request)
    service = None
    if pk is not None:
        service = SupportService.objects.filter(pk=pk).first()
        if service is None:
            raise Http404("No such support service")
    initial = {name: getattr(service, name) for name in services.SUPPORT_FIELDS} if service else None
    form = SupportServiceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.support_service_save(
                actor=actor, service=service, values=form.cleaned_data, request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{saved.name} is saved")
            return redirect("administration:support-services")
    return render(request, "administration/support_service.html", {"form": form, "service": service})
