"""The guidance pages: search, a note with its history, a past version, and the administrators' edits."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from bluestone.accounts.models import User
from bluestone.workforce.forms import GuidanceForm, GuidanceNewForm, GuidanceSearchForm
from bluestone.workforce.guidance import guidance_get, guidance_search, guidance_version_save
from bluestone.workforce.models import GuidanceNote


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = GuidanceSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    rows = guidance_search(user=user, query=query)
    return render(
        request,
        "workforce/guidance_list.html",
        {"form": form, "rows": rows, "query": query, "can_edit": rules.test_rule("workforce.edit_guidance", user)},
    )


@require_GET
@login_required
def note(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    try:
        found, versions = guidance_get(user=user, key=key)
    except GuidanceNote.DoesNotExist as error:
        raise Http404("No such guidance") from error
    history = list(versions)
    return render(
        request,
        "workforce/guidance_note.html",
        {
            "note": found,
            "version": history[0],
            "history": history,
            "can_edit": rules.test_rule("workforce.edit_guidance", user),
        },
    )


@require_GET
@login_required
def version(request: HttpRequest, key: str, number: int) -> HttpResponse:
    user = _user(request)
    try:
        found, versions = guidance_get(user=user, key=key)
    except GuidanceNote.DoesNotExist as error:
        raise Http404("No such guidance") from error
    shown = versions.filter(number=number).first()
    if shown is None:
        raise Http404("No such version")
    current = versions.first()
    return render(request, "workforce/guidance_version.html", {"note": found, "version": shown, "current": current})


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule("workforce.edit_guidance", user):
        raise PermissionDenied("Only administrators edit guidance.")
    try:
        found, versions = guidance_get(user=user, key=key)
    except GuidanceNote.DoesNotExist as error:
        raise Http404("No such guidance") from error
    current = versions.first()
    assert current is not None  # noqa: S101 (a note has its first version)
    form = GuidanceForm(
        request.POST if request.method == "POST" else None, initial={"title": current.title, "body": current.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = guidance_version_save(actor=user, key=key, **form.cleaned_data)
        except ValidationError as refused:
            for name, errors in refused.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"Version {saved.number} of the note is saved")
            return redirect("guidance:note", key=key)
    return render(request, "workforce/guidance_edit.html", {"form": form, "note": found, "current": current})


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not rules.test_rule("workforce.edit_guidance", user):
        raise PermissionDenied("Only administrators edit guidance.")
    form = GuidanceNewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            guidance_version_save(actor=user, new=True, **data)
        except ValidationError as refused:
            for name, errors in refused.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, "The note is saved")
            return redirect("guidance:note", key=data["key"])
    return render(request, "workforce/guidance_edit.html", {"form": form, "note": None, "current": None})
