"""Break glass opens a case for reading only (ARCHITECTURE.md), enforced here for every app at once.

Every page of a case lives under `cases/<uuid:pk>/`, whichever app serves it. This middleware refuses
any request that could change something there (any method but GET, HEAD and OPTIONS) from a user
whose only way into the case is a break-glass grant, before the view runs, with a page that says
why. A route added later is covered without doing anything; a view that must take a POST under
break glass (asking for break glass itself) says so with `allowed_under_break_glass`.

The rules say the same (`cases.change_case`, used by every app's write rules), so a service called
from elsewhere refuses too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bluestone.cases.models import Case, CaseAccess, CaseAccessKind

# The address every page about one case starts with (each app's urls.py follows it).
CASE_ROUTE_PREFIX = "cases/<uuid:pk>/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

View = Callable[..., Any]


def allowed_under_break_glass(view: View) -> View:
    """Mark a case view whose POST a break-glass user may make (it changes no case data)."""
    view.allowed_under_break_glass = True  # type: ignore[attr-defined]
    return view


def read_only_page(request: HttpRequest, case: Case) -> HttpResponse:
    grant = (
        CaseAccess.objects.filter(case=case, user_id=request.user.pk or 0, kind=CaseAccessKind.BREAK_GLASS)
        .order_by("-expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    return render(request, "cases/read_only.html", {"case": case, "break_glass_until": grant}, status=403)


class BreakGlassReadOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: View, view_args: tuple[Any, ...], view_kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if request.method in SAFE_METHODS or getattr(view_func, "allowed_under_break_glass", False):
            return None
        match = request.resolver_match
        if match is None or not match.route.startswith(CASE_ROUTE_PREFIX):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        case_id = view_kwargs.get("pk")
        case = (
            Case.objects.select_related("team", "officer", "offence_class").filter(pk=case_id).first()
            if case_id
            else None
        )
        if case is None:
            return None  # the view answers "not found"
        if rules.test_rule("cases.read_only_case", user, case):
            return read_only_page(request, case)
        return None
