"""The plan templates, their lines edited by an administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from bluestone.investigation import selectors, services
from bluestone.investigation.forms import TemplateLineForm
from bluestone.investigation.models import PlanTemplate, PlanTemplateLine
from bluestone.investigation.views._common import _apply_errors, _user


@require_GET
@login_required
def templates(request: HttpRequest) -> HttpResponse:
    return render(request, "investigation/templates.html", {"templates": selectors.templates_list(user=_user(request))})


def _template_line_page(request: HttpRequest, *, template: PlanTemplate, line: PlanTemplateLine | None) -> HttpResponse:
    user = _user(request)
    initial = (
        {
            "group": line.group,
            "title": line.title,
            "guidance": line.guidance,
            "order": line.order,
            "due_days": line.due_days,
            "active": line.active,
        }
        if line
        else None
    )
    form = TemplateLineForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_line_save(
                actor=user,
                template=template,
                line=line,
                group=data["group"],
                title=data["title"],
                guidance=data["guidance"],
                order=data["order"],
                due_days=data["due_days"],
                active=data["active"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The template is saved. New plans use it from now on")
            return redirect("investigation:templates")
    return render(request, "investigation/template_line.html", {"form": form, "template": template, "line": line})


@require_http_methods(["GET", "POST"])
@login_required
def template_line_new(request: HttpRequest, template: int) -> HttpResponse:
    try:
        found = selectors.template_get(user=_user(request), pk=template)
    except PlanTemplate.DoesNotExist as error:
        raise Http404("No such template") from error
    return _template_line_page(request, template=found, line=None)


@require_http_methods(["GET", "POST"])
@login_required
def template_line(request: HttpRequest, line: int) -> HttpResponse:
    try:
        found = selectors.template_line_get(user=_user(request), pk=line)
    except PlanTemplateLine.DoesNotExist as error:
        raise Http404("No such template line") from error
    return _template_line_page(request, template=found.template, line=found)
