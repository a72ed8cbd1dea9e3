"""How pages write dates and times, the error pages, and the vendored front-end assets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from bluestone.core import assets
from bluestone.core.templatetags.bluestone import govuk_date, govuk_datetime, govuk_time, percentage


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.time(14, 30), "2:30pm"),
        (dt.time(9, 5), "9:05am"),
        (dt.time(17, 0), "5pm"),
        (dt.time(12, 0), "midday"),
        (dt.time(0, 0), "midnight"),
        (dt.time(0, 15), "12:15am"),
        # 13:30 UTC in June is 2:30pm in London.
        (dt.datetime(2026, 6, 1, 13, 30, tzinfo=dt.UTC), "2:30pm"),
    ],
)
def test_times_are_written_the_govuk_way(value, expected):
    assert govuk_time(value) == expected


def test_dates_are_written_in_full_without_a_leading_zero():
    assert govuk_date(dt.date(2026, 3, 3)) == "3 March 2026"
    # 23:30 UTC on 31 May is already 1 June in London.
    assert govuk_date(dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC)) == "1 June 2026"
    assert govuk_datetime(dt.datetime(2026, 3, 3, 14, 30, tzinfo=dt.UTC)) == "3 March 2026 at 2:30pm"
    assert govuk_date(None) == ""


def test_percentage_has_a_dash_when_there_is_nothing_to_divide():
    assert percentage(0.254) == "25%"
    assert percentage(None) == "\N{EN DASH}"


def test_the_500_page_renders_without_a_request_or_user():
    html = render_to_string("500.html")

    assert "Sorry, there is a problem with the service" in html
    assert "Sign out" not in html


def _fake_package(root: Path, folder: str, stylesheet: str, css: str, assets_files: list[str]) -> None:
    package = root / folder
    (package / "assets").mkdir(parents=True)
    for name in assets_files:
        path = package / "assets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (package / stylesheet).write_text(css)
    (package / "all.bundle.mjs").write_text("export function initAll() {}\n")
    (package / "all.bundle.mjs.map").write_text("{}")


def test_copy_assets_makes_css_urls_relative_and_resolvable(tmp_path):
    node_modules = tmp_path / "node_modules"
    _fake_package(
        node_modules,
        "govuk-frontend/dist/govuk",
        "govuk-frontend.min.css",
        "a{src:url(/assets/fonts/bold.woff2)}\n/*# sourceMappingURL=govuk-frontend.min.css.map */",
        ["fonts/bold.woff2", "images/crest.svg"],
    )
    # MOJ's stylesheet borrowing a GOV.UK image, as older versions do.
    _fake_package(
        node_modules,
        "@ministryofjustice/frontend/moj",
        "moj-frontend.min.css",
        "b{background:url(/assets/images/icon.svg)}c{background:url(/assets/images/crest.svg)}",
        ["images/icon.svg"],
    )
    vendor = tmp_path / "vendor"

    assets.copy_assets(node_modules=node_modules, vendor_dir=vendor)

    govuk_css = (vendor / "govuk" / "govuk-frontend.min.css").read_text()
    moj_css = (vendor / "moj" / "moj-frontend.min.css").read_text()
    assert govuk_css.strip() == "a{src:url(assets/fonts/bold.woff2)}"
    assert moj_css == "b{background:url(assets/images/icon.svg)}c{background:url(../govuk/assets/images/crest.svg)}"
    assert (vendor / "govuk" / "assets" / "fonts" / "bold.woff2").is_file()
    assert (vendor / "moj" / "all.bundle.mjs").is_file()


def test_copy_assets_refuses_a_url_that_no_package_has(tmp_path):
    node_modules = tmp_path / "node_modules"
    _fake_package(node_modules, "govuk-frontend/dist/govuk", "govuk-frontend.min.css", "a{src:url(/assets/x.woff)}", [])
    _fake_package(node_modules, "@ministryofjustice/frontend/moj", "moj-frontend.min.css", "", [])

    with pytest.raises(assets.AssetsError, match=r"/assets/x\.woff"):
        assets.copy_assets(node_modules=node_modules, vendor_dir=tmp_path / "vendor")


def test_copy_assets_says_to_run_make_install_without_node_modules(tmp_path):
    with pytest.raises(assets.AssetsError, match="make install"):
        assets.copy_assets(node_modules=tmp_path / "missing", vendor_dir=tmp_path / "vendor")
