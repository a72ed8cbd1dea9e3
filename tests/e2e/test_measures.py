"""A supervisor opens Measures from the navigation on a loaded synthetic force: every chart is drawn,
each with its table, the page is accessible, and a filter changes the figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-test-password-not-secret"
PANELS = (
    "charge-rate-trend",
    "timeliness-trend",
    "recorded-by-month",
    "recorded-by-offence-group",
    "funnel",
    "outcomes",
    "timeliness",
    "code-compliance",
    "feedback",
)


@pytest.fixture
def supervisor(django_db_serialized_rollback: None, transactional_db: None, force_dir: Path) -> str:
    from bluestone.accounts.models import Role, User  # noqa: PLC0415
    from bluestone.cases.loading import extract_load  # noqa: PLC0415
    from tests.factories import TeamFactory  # noqa: PLC0415
    from tests.insights.seed import seed_duties_and_feedback  # noqa: PLC0415

    extract_load(directory=force_dir)
    seed_duties_and_feedback()
    User.objects.create_user(
        username="supervisor.e2e",
        password=PASSWORD,
        first_name="Dana",
        last_name="Price",
        role=Role.SUPERVISOR,
        team=TeamFactory.create(code="E2E", name="E2E team"),
    )
    return "supervisor.e2e"


def test_a_supervisor_reads_every_measure_as_a_chart_and_a_table(
    live_server, page: Page, console_errors: list[str], supervisor: str, tmp_path: Path
) -> None:
    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_username", supervisor)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page

    page.get_by_role("link", name="Measures", exact=True).click()
    expect(page.locator("h1")).to_have_text("Measures")
    page.get_by_label("From", exact=True).fill("2025-01-01")
    page.get_by_label("To", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Show measures").click()

    expect(page.get_by_test_id("period")).to_have_text("1 January 2025 to 31 December 2025")
    for slug in PANELS:
        chart = page.get_by_test_id(f"chart-{slug}")
        expect(chart).to_be_visible()
        # Drawn: the browser decoded the SVG into an image with a size.
        assert chart.evaluate("img => img.complete && img.naturalWidth > 100 && img.naturalHeight > 50")
        expect(page.get_by_test_id(f"table-{slug}").locator("tbody tr").first).to_be_visible()
        expect(page.get_by_test_id(f"download-{slug}")).to_be_visible()
    recorded = page.get_by_test_id("headlines").locator("tr", has_text="Crimes recorded").locator("td").first
    force_wide = recorded.inner_text()
    assert force_wide.replace(",", "").isdigit()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "measures.png"), full_page=True)  # kept for a person to look at

    page.get_by_label("Offence group", exact=True).select_option("rape")
    page.get_by_role("button", name="Show measures").click()
    expect(page).to_have_url(re.compile(r"[?&]offence_group=rape(&|$)"))  # the filtered page, not the last one
    expect(page.get_by_test_id("headlines")).to_be_visible()
    rape_only = (
        page.get_by_test_id("headlines").locator("tr", has_text="Crimes recorded").locator("td").first.inner_text()
    )
    assert rape_only != force_wide
    assert_accessible(page)

    page.get_by_label("Offence group", exact=True).select_option("")
    page.get_by_label("Suspect's relationship to the victim", exact=True).select_option("stranger")
    page.get_by_label("Victim's age at the offence", exact=True).select_option("18_24")
    page.get_by_role("button", name="Show measures").click()
    expect(page.get_by_test_id("filters")).to_contain_text(
        "suspect's relationship to the victim: stranger, victim aged 18 to 24 at the offence"
    )
    for slug in PANELS:
        expect(page.get_by_test_id(f"table-{slug}")).to_be_visible()
    assert_accessible(page)

    # A chart's download link chooses that chart in the download form; the file is that chart's rows.
    page.get_by_test_id("download-timeliness-trend").click()
    expect(page.get_by_label("What to download", exact=True)).to_have_value("timeliness-trend")
    page.get_by_label("Who is this download for, and why?").fill("Performance board")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as CSV").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0] == "measure,breakdown,numerator,denominator,value"
    assert {line.split(",")[0] for line in lines[1:]} == {"days_to_charge_by_month", "days_to_outcome_by_month"}
    assert console_errors == []


@pytest.fixture
def analyst(django_db_serialized_rollback: None, transactional_db: None, force_dir: Path) -> str:
    from bluestone.accounts.models import Role, User  # noqa: PLC0415
    from bluestone.cases.loading import extract_load  # noqa: PLC0415

    extract_load(directory=force_dir)
    User.objects.create_user(
        username="analyst.e2e", password=PASSWORD, first_name="Sam", last_name="Okafor", role=Role.ANALYST
    )
    return "analyst.e2e"


def test_an_analyst_downloads_a_pseudonymised_export_which_is_logged(
    live_server, page: Page, console_errors: list[str], analyst: str
) -> None:
    import io  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    from bluestone.audit.models import AuditAction, AuditEvent  # noqa: PLC0415
    from bluestone.cases.models import Case  # noqa: PLC0415
    from tests.anonymity import victim_secrets  # noqa: PLC0415

    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_username", analyst)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page

    page.get_by_role("link", name="Measures", exact=True).click()
    page.get_by_role("link", name="exports", exact=True).click()
    expect(page.locator("h1")).to_have_text("Pseudonymised exports")
    assert_accessible(page)

    # No recipient: refused with a specific message, and nothing is disclosed.
    page.get_by_label("From", exact=True).fill("2025-01-01")
    page.get_by_label("To", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Download the export").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter who the export is for and why")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()

    page.get_by_label("CSV (opens in a spreadsheet)").check()
    page.get_by_label("Who is this export for, and why?").fill("Evaluation team, agreement 7")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export").click()
    assert re.fullmatch(
        r"bluestone-export-2025-01-01-to-2025-12-31-csv-\d{8}-\d{6}\.zip", download.value.suggested_filename
    )
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert sorted(files) == ["cases.csv", "events.csv", "involvements.csv", "measures.csv", "outcomes.csv"]
    cases = files["cases.csv"].splitlines()
    assert len(cases) > 1
    assert files["measures.csv"].splitlines()[0] == "measure,breakdown,numerator,denominator,value"
    # Pseudonymised: no crime reference and nothing that identifies a victim, in any file.
    references = set(Case.objects.values_list("crime_reference", flat=True))
    secrets = victim_secrets()
    for name, text in files.items():
        assert not any(reference in text for reference in references), name
        assert secrets.found_in(text) == [], name

    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE, object_type="insights.analyticexport")
    assert event.actor is not None
    assert event.actor.username == analyst
    assert event.recipient == "Evaluation team, agreement 7"
    assert event.details["rows"]["cases"] == len(cases) - 1
    assert console_errors == []
