"""Staff pages for cases. Each view validates its input and calls one selector; the rules live in
`cases.rules` and `cases.selectors`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from bluestone.accounts.models import Role, User
from bluestone.cases.forms import CaseFilterForm
from bluestone.cases.models import Case
from bluestone.cases.rules import first_page_for
from bluestone.cases.selectors import (
    DEFAULT_CASE_SORT,
    CaseFilters,
    CaseScope,
    case_get_for_user,
    case_list_visible_to,
    force_overview,
    offence_class_choices,
)

# What each role will find here once its pages exist (SERVICE-MAP.md), for the page that tells a
# user with no pages yet what to expect.
PLANNED_PAGES = {
    Role.ANALYST: ["Repeat suspects", "Link review", "Measures", "Case-file reviews", "Exports"],
    Role.TRIAGE: ["Online reports", "Callbacks due"],
    Role.AUDITOR: ["Access log", "Verify log", "Retention"],
    Role.ADMINISTRATOR: ["Users and teams", "Reference data", "Templates"],
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    url_name = first_page_for(user)
    if url_name is not None:
        return redirect(url_name)
    return render(
        request,
        "cases/no_pages.html",
        {"planned_pages": PLANNED_PAGES.get(Role(user.role), []), "role_label": user.get_role_display()},
    )


@dataclass(frozen=True)
class SortableColumn:
    key: str
    label: str
    aria_sort: str  # "ascending", "descending" or "none"
    next_sort: str  # the sort the column's link asks for


# Columns whose first click sorts newest or latest first.
_DESCENDING_FIRST = {"reported"}


def _columns(current_sort: str) -> list[SortableColumn]:
    labels = {"crime_reference": "Crime reference", "reported": "Reported", "offence": "Offence", "status": "Status"}
    columns = []
    for key, label in labels.items():
        if current_sort.removeprefix("-") == key:
            descending = current_sort.startswith("-")
            aria_sort = "descending" if descending else "ascending"
            next_sort = key if descending else f"-{key}"
        else:
            aria_sort = "none"
            next_sort = f"-{key}" if key in _DESCENDING_FIRST else key
        columns.append(SortableColumn(key=key, label=label, aria_sort=aria_sort, next_sort=next_sort))
    return columns


def _case_list(request: HttpRequest, *, scope: CaseScope, title: str) -> HttpResponse:
    user = _user(request)
    form = CaseFilterForm(request.GET or None, offence_classes=offence_class_choices())
    context: dict[str, Any] = {"form": form, "title": title, "scope": scope, "page": None}
    if form.is_bound and not form.is_valid():
        # The need-to-know check still runs, so an invalid filter never shows a 200 to a user with no access.
        case_list_visible_to(user=user, filters=CaseFilters(scope=scope))
        return render(request, "cases/case_list.html", context)

    data = form.cleaned_data if form.is_bound else {}
    filters = CaseFilters(
        scope=scope,
        status=data.get("status", ""),
        offence_class=data.get("offence_class", ""),
        reported_from=data.get("reported_from"),
        reported_to=data.get("reported_to"),
        sort=data.get("sort") or DEFAULT_CASE_SORT,
    )
    cases = case_list_visible_to(user=user, filters=filters)
    paginator = Paginator(cases, settings.CASE_LIST_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context.update(
        {
            "page": page,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "ellipsis": Paginator.ELLIPSIS,
            "columns": _columns(filters.sort),
            "filtered": any(
                [filters.status, filters.offence_class, filters.reported_from, filters.reported_to],
            ),
        }
    )
    return render(request, "cases/case_list.html", context)


@require_GET
@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, scope="mine", title="My cases")


@require_GET
@login_required
def team_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, scope="team", title="Team cases")


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    try:
        detail = case_get_for_user(user=_user(request), pk=pk)
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    return render(request, "cases/case_detail.html", {"detail": detail, "case": detail.case})


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/overview.html", {"overview": force_overview(user=_user(request))})
