"""Case-file review pages. Each view checks the rule, calls one selector or service, and logs the read."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bluestone.accounts.models import User
from bluestone.filereviews import selectors, services
from bluestone.filereviews.forms import NOT_APPLICABLE, ActionForm, DrawForm, ReviewForm, TemplateForm
from bluestone.filereviews.models import CaseReview, ReviewAction, ReviewSample


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _reviewer(request: HttpRequest) -> User:
    user = _user(request)
    selectors.require_reviewer(user)
    return user


def _apply(form: DrawForm | ActionForm | TemplateForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _sample(user: User, pk: uuid.UUID) -> selectors.SampleDetail:
    try:
        return selectors.sample_get(user=user, pk=pk)
    except ReviewSample.DoesNotExist:
        raise Http404("No such sample") from None


@never_cache
@require_http_methods(["GET"])
@login_required
def samples(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    rows = list(selectors.sample_list(user=user))
    with transaction.atomic():
        services.sample_list_view_record(user=user, count=len(rows), request=request)
    return render(request, "filereviews/samples.html", {"samples": rows})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def sample_new(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    form = DrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            drawn = services.sample_draw(
                actor=user,
                title=data["title"],
                decided_from=data["decided_from"],
                decided_to=data["decided_to"],
                team=form.team_object(),
                size=data["size"],
                seed=form.seed_value(),
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, f"{drawn.reviews.count()} cases drawn with seed {drawn.seed}")
            return redirect("filereviews:sample", sample=drawn.pk)
    return render(request, "filereviews/sample_new.html", {"form": form})


@never_cache
@require_http_methods(["GET"])
@login_required
def sample(request: HttpRequest, sample: uuid.UUID) -> HttpResponse:
    user = _reviewer(request)
    detail = _sample(user, sample)
    with transaction.atomic():
        services.sample_view_record(
            user=user, sample=detail.sample, case_ids=[str(c.review.case_id) for c in detail.cases], request=request
        )
    return render(request, "filereviews/sample.html", {"detail": detail})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def review(request: HttpRequest, sample: uuid.UUID, review: uuid.UUID) -> HttpResponse:
    user = _reviewer(request)
    try:
        found, summary = selectors.case_review_get(user=user, sample_pk=sample, pk=review)
    except CaseReview.DoesNotExist:
        raise Http404("No such case in this sample") from None
    questions = list(found.sample.template.questions.order_by("order"))
    answers = selectors.review_answers(found)
    initial: dict[str, str] = {"comment": found.comment}
    for question_id, answer in answers.items():
        initial[f"score_{question_id}"] = NOT_APPLICABLE if answer.score is None else str(answer.score)
        initial[f"comment_{question_id}"] = answer.comment
    form = ReviewForm(request.POST if request.method == "POST" else None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.case_review_record(
            actor=user, review=found, answers=form.answers(), comment=form.cleaned_data["comment"], request=request
        )
        messages.success(request, f"Review of {summary.label} saved")
        return redirect("filereviews:sample", sample=found.sample_id)
    with transaction.atomic():
        services.review_view_record(
            user=user, review=found, full=summary.full, person_ids=summary.person_ids, request=request
        )
    groups = [
        (group, [(q, form.score_field(q), form.comment_field(q)) for q in group.questions])
        for group in selectors.template_questions(found.sample.template)
    ]
    return render(
        request, "filereviews/review.html", {"review": found, "summary": summary, "form": form, "groups": groups}
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def action_new(request: HttpRequest, sample: uuid.UUID) -> HttpResponse:
    user = _reviewer(request)
    detail = _sample(user, sample)
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(
                actor=user,
                sample=detail.sample,
                pillar=data["pillar"],
                description=data["description"],
                owner=form.owner_object(),
                due_on=data["due_on"],
                team=form.team_object(),
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, "Action added")
            return redirect("filereviews:sample", sample=detail.sample.pk)
    return render(request, "filereviews/action_new.html", {"form": form, "sample": detail.sample})


@never_cache
@require_POST
@login_required
def action_done(request: HttpRequest, sample: uuid.UUID, action: uuid.UUID) -> HttpResponse:
    user = _reviewer(request)
    try:
        found = ReviewAction.objects.get(pk=action, sample_id=sample)
    except ReviewAction.DoesNotExist:
        raise Http404("No such action") from None
    # The button sends status=done; anything else (an empty form) changes nothing.
    if request.POST.get("status") == "done":
        services.action_complete(actor=user, action=found, request=request)
        messages.success(request, "Action marked as done")
    return redirect("filereviews:sample", sample=sample)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def template_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    selectors.require_template_editor(user)
    current = selectors.template_current()
    existing = {group.pillar: [q.text for q in group.questions] for group in selectors.template_questions(current)}
    form = TemplateForm(request.POST if request.method == "POST" else None, current=existing)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.template_version_save(
                actor=user, questions=form.questions(), note=form.cleaned_data["note"], request=request
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, f"Version {saved.version} of the review template saved")
            return redirect("filereviews:template")
    groups = selectors.template_questions(current)
    return render(request, "filereviews/template.html", {"form": form, "current": current, "groups": groups})
