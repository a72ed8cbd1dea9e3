"""The Measures page and its download."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bluestone.accounts.models import User
from bluestone.core import clock
from bluestone.insights.dashboard import (
    PANEL_TITLES,
    default_period,
    measures_access_check,
    measures_csv,
    measures_dashboard,
)
from bluestone.insights.exports import export_access_check, export_files, zip_files
from bluestone.insights.forms import DownloadForm, ExportForm, FiltersForm


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
        {
            "form": form,
            "download_form": download_form,
            "dashboard": dashboard,
            "query_values": form.query_values(),
            "query_string": urlencode(form.query_values()),
        },
        status=status,
    )


@never_cache
@require_GET
@login_required
def measures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = FiltersForm(request.GET, today=clock.today())
    # A chart's "download" link comes back here with the chart chosen in the download form.
    chosen = request.GET.get("download", "")
    download_form = DownloadForm(initial={"panel": chosen if chosen in PANEL_TITLES else ""})
    return _page(request, user=user, form=form, download_form=download_form)


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
    panel = download_form.cleaned_data.get("panel") or ""
    text = measures_csv(
        user=user, filters=filters, recipient=download_form.cleaned_data["recipient"], panel=panel, request=request
    )
    stamp = f"{timezone.localtime(clock.now()):%Y%m%d-%H%M%S}"
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    what = f"measures-{panel}" if panel else "measures"
    response["Content-Disposition"] = (
        f'attachment; filename="{what}-{filters.period.start}-to-{filters.period.end}-{stamp}.csv"'
    )
    return response


def _export_page(request: HttpRequest, form: ExportForm, *, status: int = 200) -> HttpResponse:
    return render(request, "insights/exports.html", {"form": form}, status=status)


@never_cache
@require_GET
@login_required
def exports(request: HttpRequest) -> HttpResponse:
    """What an analytic export holds, and the form to make one."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    export_access_check(user)
    period = default_period(clock.today())
    return _export_page(request, ExportForm(initial={"start": period.start, "end": period.end, "output": "csv"}))


@never_cache
@require_POST
@login_required
def exports_download(request: HttpRequest) -> HttpResponse:
    """A ZIP of the period's pseudonymised tables. A disclosure, logged with its recipient before it is sent."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    export_access_check(user)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _export_page(request, form)
    period = form.cleaned_data["period"]
    output = form.cleaned_data["output"]
    files = export_files(
        actor=user,
        period=period,
        as_of=clock.today(),
        output=output,
        recipient=form.cleaned_data["recipient"],
        request=request,
    )
    stamp = f"{timezone.localtime(clock.now()):%Y%m%d-%H%M%S}"
    response = HttpResponse(zip_files(files), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="bluestone-export-{period.start}-to-{period.end}-{output}-{stamp}.zip"'
    )
    return response
