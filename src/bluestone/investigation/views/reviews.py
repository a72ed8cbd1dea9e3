"""A supervisor's review of the case on the structured prompts."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from bluestone.investigation import selectors, services
from bluestone.investigation.forms import ReviewForm
from bluestone.investigation.services import REVIEW_PROMPTS
from bluestone.investigation.views._common import _apply_errors, _case_page, _log_view, _render_case, _user


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
