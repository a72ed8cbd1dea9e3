"""The workforce pages: your training and wellbeing, the supervisor's Workforce page, an officer's
profile and what a supervisor records on it, a check-in, occupational health's referrals, the courses."""

from __future__ import annotations

import uuid
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from bluestone.accounts.models import Officer, User
from bluestone.workforce import services
from bluestone.workforce.charts import workforce_charts
from bluestone.workforce.forms import (
    CheckInForm,
    CourseForm,
    ExposureForm,
    ProfileForm,
    ScreeningForm,
    TrainingRecordForm,
)
from bluestone.workforce.models import CheckIn
from bluestone.workforce.selectors import (
    courses_for_administration,
    occupational_health_referrals,
    officer_get_visible,
    officer_overview,
    own_officer,
    profile_for,
    team_workforce,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _refuse_errors(form: Form, refused: ValidationError) -> None:
    for name, errors in refused.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@never_cache
@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    officer = own_officer(user=user)
    overview = officer_overview(user=user, officer=officer)
    services.officer_view_record(user=user, officer=officer, what="own training and wellbeing", request=request)
    return render(request, "workforce/mine.html", {"overview": overview})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def exposure(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    own_officer(user=user)
    form = ExposureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exposure_log(actor=user, **form.cleaned_data, request=request)
        except ValidationError as refused:
            _refuse_errors(form, refused)
        else:
            messages.success(request, "Your hours are logged")
            return redirect("workforce:mine")
    return render(request, "workforce/exposure.html", {"form": form})


@never_cache
@require_GET
@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    workforce = team_workforce(user=user)
    services.officers_list_record(
        user=user, what="workforce", officer_ids=[row.officer.pk for row in workforce.rows], request=request
    )
    return render(request, "workforce/team.html", {"workforce": workforce, "charts": workforce_charts(workforce)})


def _officer(request: HttpRequest, pk: int, *, manage: bool = False) -> tuple[User, Officer]:
    user = _user(request)
    try:
        officer = officer_get_visible(user=user, pk=pk)
    except Officer.DoesNotExist as error:
        raise Http404("No such officer") from error
    if manage and not rules.test_rule("workforce.manage_officer", user, officer):
        raise PermissionDenied("Only a supervisor of the officer's team records this.")
    return user, officer


@never_cache
@require_GET
@login_required
def officer(request: HttpRequest, pk: int) -> HttpResponse:
    user, subject = _officer(request, pk)
    overview = officer_overview(user=user, officer=subject)
    services.officer_view_record(user=user, officer=subject, what="workforce profile", request=request)
    manage = rules.test_rule("workforce.manage_officer", user, subject)
    return render(request, "workforce/officer.html", {"overview": overview, "manage": manage})


def _officer_form_page(
    request: HttpRequest, pk: int, *, form_class: type[Form], template: str, save: Any, done: str, initial: Any = None
) -> HttpResponse:
    user, subject = _officer(request, pk, manage=True)
    form = form_class(request.POST if request.method == "POST" else None, initial=initial(subject) if initial else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(user, subject, form.cleaned_data)
        except ValidationError as refused:
            _refuse_errors(form, refused)
        else:
            messages.success(request, done)
            return redirect("workforce:officer", pk=subject.pk)
    what = done.removeprefix("The ").split(" is ")[0]
    services.officer_view_record(user=user, officer=subject, what=f"form: {what}", request=request)
    return render(request, template, {"form": form, "officer": subject})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def officer_profile(request: HttpRequest, pk: int) -> HttpResponse:
    def save(user: User, subject: Officer, data: dict[str, Any]) -> None:
        services.profile_update(actor=user, officer=subject, request=request, **data)

    def initial(subject: Officer) -> dict[str, Any]:
        profile = profile_for(subject)
        return {"post": profile.post, "high_exposure": profile.high_exposure}

    return _officer_form_page(
        request,
        pk,
        form_class=ProfileForm,
        template="workforce/profile_form.html",
        save=save,
        done="The officer's post is saved",
        initial=initial,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def training_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(user: User, subject: Officer, data: dict[str, Any]) -> None:
        services.training_record_add(actor=user, officer=subject, request=request, **data)

    return _officer_form_page(
        request,
        pk,
        form_class=TrainingRecordForm,
        template="workforce/training_form.html",
        save=save,
        done="The training is recorded",
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def check_in_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(user: User, subject: Officer, data: dict[str, Any]) -> None:
        services.check_in_record(actor=user, officer=subject, request=request, **data)

    return _officer_form_page(
        request,
        pk,
        form_class=CheckInForm,
        template="workforce/check_in_form.html",
        save=save,
        done="The check-in is recorded",
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def screening_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(user: User, subject: Officer, data: dict[str, Any]) -> None:
        services.screening_record(actor=user, officer=subject, request=request, **data)

    return _officer_form_page(
        request,
        pk,
        form_class=ScreeningForm,
        template="workforce/screening_form.html",
        save=save,
        done="The screening is recorded",
    )


@never_cache
@require_GET
@login_required
def check_in(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    entry = CheckIn.objects.select_related("officer", "officer__team", "held_by").filter(pk=pk).first()
    if entry is None or not rules.test_rule("workforce.view_check_in", user, entry):
        raise Http404("No such check-in")
    readable = rules.test_rule("workforce.read_check_in", user, entry)
    services.check_in_view_record(user=user, check_in=entry, content_shown=readable, request=request)
    return render(request, "workforce/check_in.html", {"entry": entry, "readable": readable})


@never_cache
@require_GET
@login_required
def occupational_health(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    referrals = list(occupational_health_referrals(user=user))
    services.officers_list_record(
        user=user,
        what="occupational health referrals",
        officer_ids=sorted({e.officer_id for e in referrals}),
        request=request,
    )
    return render(request, "workforce/occupational_health.html", {"referrals": referrals})


@require_GET
@login_required
def courses(request: HttpRequest) -> HttpResponse:
    return render(request, "workforce/courses.html", {"courses": courses_for_administration(user=_user(request))})


@require_http_methods(["GET", "POST"])
@login_required
def course(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    listing = courses_for_administration(user=user)
    existing = None
    if pk is not None:
        existing = listing.filter(pk=pk).first()
        if existing is None:
            raise Http404("No such course")
    initial = {name: getattr(existing, name) for name in services.COURSE_FIELDS} if existing else {"active": True}
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.course_save(actor=user, course=existing, data=form.cleaned_data)
        except ValidationError as refused:
            _refuse_errors(form, refused)
        else:
            messages.success(request, f"{saved.name} is saved")
            return redirect("workforce:courses")
    return render(request, "workforce/course.html", {"form": form, "course": existing})
