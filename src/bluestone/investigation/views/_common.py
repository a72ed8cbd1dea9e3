"""What the investigation's pages share: the acting user, form errors from a service, the case tab
frame, the s.62 entry for a look at a tab, and the page of a case form.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bluestone.accounts.models import User
from bluestone.cases.middleware import read_only_page
from bluestone.cases.models import Case, Involvement, Role
from bluestone.cases.selectors import CaseInScope
from bluestone.cases.services import case_view_record
from bluestone.cases.views import case_tab_context, case_tab_load
from bluestone.investigation import selectors
from bluestone.investigation.models import LineOfEnquiry

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
    success: str | Callable[[Any], str],
    supervise: bool = False,
    intro: str = "",
    submit: str = "Save",
    back: str = "investigation:plan",
    extra: Callable[[CaseInScope], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A case form page: GET shows the form, POST validates it and calls `save(scoped, cleaned_data)`;
    a service's refusal goes back on the form, and nothing is written. `success` is the banner, or
    makes it from what `save` returned."""
    scoped, response = _case_page(request, pk, supervise=supervise, writes=True)
    if response is not None:
        return response
    assert scoped is not None  # noqa: S101
    form = make_form(scoped.case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(scoped, form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, success(saved) if callable(success) else success)
            return redirect(back, pk=pk)
    else:
        _log_view(request, scoped)
    context = {"form": form, "title": title, "intro": intro, "submit": submit, "back": back}
    if extra is not None:
        context |= extra(scoped)
    return _render_case(request, scoped, "investigation/case_form.html", "investigation:plan", **context)


def _line_for(request: HttpRequest, scoped: CaseInScope, line_pk: uuid.UUID) -> LineOfEnquiry:
    try:
        return selectors.line_get(user=_user(request), case=scoped.case, pk=line_pk)
    except LineOfEnquiry.DoesNotExist as error:
        raise Http404("No such line of enquiry") from error
