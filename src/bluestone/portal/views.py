"""The public portal's start, support and reporting pages. Anonymous: see portal/pages.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html")


@require_GET
def support(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/support.html")


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/cookies.html")


@require_GET
def safety(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/safety.html")
