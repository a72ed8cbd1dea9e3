"""The service's URLs plus one page that fails, for the test of the 500 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from bluestone.urls import urlpatterns as service_urlpatterns

PERSONAL_DETAIL = "Rowan Teale, born 4 May 1990"


def fails(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"Could not load the victim {PERSONAL_DETAIL}")


urlpatterns = [*service_urlpatterns, path("fails/", fails)]
