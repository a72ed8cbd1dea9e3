"""The Measures page and its download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bluestone.accounts.models import User
from bluestone.core import clock
from bluestone.insights.dashboard import measures_access_check, measures_csv, measures_dashboard
from bluestone.insights.forms import DownloadForm, FiltersForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    measures_access_check(user)
    return user


def _page(request: HttpRequest, *, user: User, form: FiltersForm, download_form: DownloadForm) -> HttpResponse:
    dashboard = measures_dashboard(user=user, filters=form.filters()) if form.is_valid() else None
    # Bad filters: the page with what to put right and no figures. A download refused for want of a
    # recipient is the page again with its error, as the access log's download does.
    status = 200 if dashboard is not None else 400
    return render(
        request,
        "insights/measures.html",
        {"form": form, "download_form": download_form, "dashboard": dashboard, "query_values": form.query_values()},
        status=status,
    )


@never_cache
@require_GET
@login_required
def measures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = FiltersForm(request.GET, today=clock.today())
    return _page(request, user=user, form=form, download_form=DownloadForm())


@never_cache
@require_POST
@login_required
def measures_download(request: HttpRequest) -> HttpResponse:
    """The filtered period's measures as CSV, small numbers suppressed. A disclosure, logged with its recipient."""
    user = _user(request)
    form = FiltersForm(request.POST, today=clock.today())
    download_form = DownloadForm(request.POST)
    if not (form.is_valid() and download_form.is_valid()):
        return _page(request, user=user, form=form, download_form=download_form)
    filters = form.filters()
    text = measures_csv(user=user, filters=filters, recipient=download_form.cleaned_data["recipient"], request=request)
    stamp = f"{timezone.localtime(clock.now()):%Y%m%d-%H%M%S}"
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="measures-{filters.period.start}-to-{filters.period.end}-{stamp}.csv"'
    )
    return response
