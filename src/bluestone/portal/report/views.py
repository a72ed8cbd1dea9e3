"""The pages of "Report online". Anonymous: see portal/pages.py.

The answers of a report in progress live on the server (ReportDraft); the browser holds only a random
token in the `portal_report` cookie, which lasts until the browser closes and is sent to /portal/ only.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from bluestone.portal.models import ReportDraft, SafeTime
from bluestone.portal.report import steps
from bluestone.portal.report.forms import NOT_READY
from bluestone.portal.report.services import (
    RateLimitedError,
    callback_hours,
    callback_hours_for,
    online_report_submit,
    report_draft_answer,
    report_draft_discard,
    report_draft_get,
    report_draft_start,
)

DRAFT_COOKIE = "portal_report"
DRAFT_COOKIE_PATH = "/portal/"


def draft_get(request: HttpRequest) -> ReportDraft | None:
    """The report in progress that the browser's cookie points at (portal.views' quick exit uses it too)."""
    return report_draft_get(token=request.COOKIES.get(DRAFT_COOKIE))


def _set_draft_cookie(request: HttpRequest, response: HttpResponseBase, token: str) -> None:
    # No max_age: gone when the browser closes. HttpOnly and SameSite=Strict: no script or other site
    # can use it. The draft itself expires on the server after DRAFT_HOURS whatever the cookie says.
    response.set_cookie(
        DRAFT_COOKIE, token, path=DRAFT_COOKIE_PATH, httponly=True, samesite="Strict", secure=request.is_secure()
    )


def _forget_draft_cookie(response: HttpResponseBase) -> None:
    response.delete_cookie(DRAFT_COOKIE, path=DRAFT_COOKIE_PATH, samesite="Strict")


def _where_next(answers: steps.Answers) -> HttpResponse:
    following = steps.first_unanswered(answers)
    if following is None:
        return redirect("portal:report-check")
    return redirect("portal:report-question", step=following.slug)


def _submitted_values(form_data: Any, step: steps.Step) -> dict[str, Any]:
    """The page's answer as posted (kept raw, so that it is validated again when the report is sent)."""
    values: dict[str, Any] = {}
    for name, field in step.form.base_fields.items():
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        values[name] = form_data.getlist(name) if multiple else form_data.get(name, "")
    return values


def _question_page(
    request: HttpRequest, step: steps.Step, form: Any, answers: steps.Answers, *, status: int = 200
) -> HttpResponse:
    previous = steps.previous_step(answers, step.slug)
    back = reverse("portal:report-question", kwargs={"step": previous.slug}) if previous else reverse("portal:start")
    return render(
        request,
        "portal/report/question.html",
        {"step": step, "form": form, "back_url": back, "callback_hours": callback_hours()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def report_question(request: HttpRequest, step: str) -> HttpResponse:  # noqa: PLR0911 (one page, several ways on)
    page = steps.STEPS_BY_SLUG.get(step)
    if page is None:
        raise Http404
    draft = draft_get(request)
    answers: steps.Answers = dict(draft.answers) if draft is not None and draft.report_id is None else {}
    if page.slug != "who" and (draft is None or draft.report_id is not None):
        return redirect("portal:report-question", step="who")
    if not page.applies(answers):
        return _where_next(answers)
    # No jumping ahead: every page before this one must have been answered.
    first_gap = steps.first_unanswered(answers)
    applicable = [s.slug for s in steps.steps_for(answers)]
    if first_gap is not None and applicable.index(first_gap.slug) < applicable.index(page.slug):
        return redirect("portal:report-question", step=first_gap.slug)

    if request.method == "GET":
        form = page.form(data=answers[page.slug]) if page.slug in answers else page.form()
        return _question_page(request, page, form, answers)

    form = page.form(data=request.POST)
    if not form.is_valid():
        return _question_page(request, page, form, answers)
    if page.slug == "who" and form.cleaned_data["kind"] == NOT_READY:
        # Nothing to keep: take them to support, and leave no draft behind.
        response = redirect("portal:support")
        if draft is not None:
            report_draft_discard(draft=draft)
            _forget_draft_cookie(response)
        return response
    token = None
    if draft is None or draft.report_id is not None:
        draft, token = report_draft_start()
    draft = report_draft_answer(draft=draft, step=page.slug, data=_submitted_values(request.POST, page))
    following = _where_next(draft.answers)
    if token is not None:
        _set_draft_cookie(request, following, token)
    return following


def _check_rows(answers: steps.Answers) -> list[dict[str, Any]]:
    """The check-answers summary: one row per answer, with the page to change it on."""
    rows = []
    safe_time_labels = dict(SafeTime.choices)
    for page in steps.steps_for(answers):
        form = page.form(data=answers.get(page.slug, {}))
        form.is_valid()
        for name, label in page.check_labels.items():
            value = form.cleaned_data.get(name)
            field = form.fields[name]
            if isinstance(value, list):
                shown = ", ".join(str(safe_time_labels.get(v, v)) for v in value)
            elif getattr(field, "choices", None):
                shown = str(dict(field.choices).get(value, value))  # type: ignore[attr-defined]
            else:
                shown = str(value or "")
            if not shown and name not in ("what_happened",):
                shown = "Not given"
            rows.append(
                {
                    "label": label,
                    "value": shown,
                    "href": reverse("portal:report-question", kwargs={"step": page.slug}),
                    "change_label": label.lower(),
                }
            )
    return rows


@require_http_methods(["GET", "POST"])
def report_check(request: HttpRequest) -> HttpResponse:
    draft = draft_get(request)
    if draft is None or draft.report_id is not None:
        return redirect("portal:report-question", step="who")
    if not steps.is_complete(draft.answers):
        return _where_next(draft.answers)
    context: dict[str, Any] = {
        "rows": _check_rows(draft.answers),
        "anonymous": steps.kind_of(draft.answers) == "anonymous",
        "callback_hours": callback_hours_for(draft.answers.get("when", {}).get("when_happened", "")),
    }
    if request.method == "POST":
        try:
            online_report_submit(draft=draft, request=request)
        except RateLimitedError:
            context["error"] = (
                "You have sent several reports from this connection in the last hour, so we cannot take another "
                "one now. Try again in an hour, or call 101. If you are in danger, call 999."
            )
            return render(request, "portal/report/check.html", context, status=429)
        except ValueError:
            return _where_next(draft.answers)
        return redirect("portal:report-sent")
    return render(request, "portal/report/check.html", context)


@require_GET
def report_sent(request: HttpRequest) -> HttpResponse:
    draft = draft_get(request)
    if draft is None or draft.report is None:
        return redirect("portal:start")
    report = draft.report
    return render(
        request,
        "portal/report/sent.html",
        {"report": report, "report_callback_hours": callback_hours_for(report.when_happened)},
    )
