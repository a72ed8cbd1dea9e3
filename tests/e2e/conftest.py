"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never `playwright install`: these tests launch the system Chromium (`apt-get install chromium`).
Without it they skip on a laptop and fail in CI (CI=true), where every browser test must run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

# Playwright's sync API runs an event loop in the test's thread; Django's ORM would then refuse to
# run there ("You cannot call this from an async context"). Nothing here is actually async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM_MISSING = "Chromium not installed: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 15_000


def chromium_path() -> Path | None:
    """Debian's Chromium: BLUESTONE_CHROMIUM if set, else `chromium` on PATH, else /usr/bin/chromium."""
    candidates = [os.environ.get("BLUESTONE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Everything under tests/e2e drives a browser; mark it so `-m "not browser"` leaves it out.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        if _in_ci():
            pytest.fail(f"{CHROMIUM_MISSING} (CI=true: browser tests must run, not skip)", pytrace=False)
        pytest.skip(CHROMIUM_MISSING)
    launched = playwright_driver.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught exceptions seen by `page`; a test asserts it stays empty."""
    return []


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, console_errors: list[str]) -> Page:
    new_page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: console_errors.append(f"page error: {error}"))
    return new_page


@dataclass(frozen=True)
class InvestigatorWithCase:
    username: str
    password: str
    case_id: str
    crime_reference: str
    victim_name: str
    suspect_name: str


@pytest.fixture
def investigator_with_case(django_db_serialized_rollback: None, transactional_db: None) -> InvestigatorWithCase:
    """An investigator who can sign in, officer in the case on one case with a victim and a suspect.

    The live server reads from another thread, so the data is committed (transactional_db); the
    serialized rollback puts back the reference data (offence classes, outcome types) that the
    migrations loaded, which the flush after a transactional test would otherwise remove.
    """
    from bluestone.accounts.models import Officer, Role, Team, User  # noqa: PLC0415
    from bluestone.cases.models import (  # noqa: PLC0415
        Case,
        CaseEvent,
        CaseStatus,
        EventKind,
        Gender,
        HowReported,
        Involvement,
        PersonRecord,
        Relationship,
    )
    from bluestone.cases.models import Role as InvolvementRole  # noqa: PLC0415
    from bluestone.core.models import OffenceClass  # noqa: PLC0415

    password = "e2e-test-password-not-secret"
    team = Team.objects.create(code="E2E1", name="RASSO East")
    user = User.objects.create_user(
        username="dc.ahmed",
        password=password,
        first_name="Nadia",
        last_name="Ahmed",
        role=Role.INVESTIGATOR,
        team=team,
    )
    officer = Officer.objects.create(collar_number="4242", first_name="Nadia", last_name="Ahmed", team=team, user=user)
    reported = dt.datetime(2026, 2, 10, 9, 15, tzinfo=dt.UTC)
    case = Case.objects.create(
        crime_reference="E2E/26/000123",
        reported_at=reported,
        recorded_at=reported + dt.timedelta(hours=2),
        offence_from=dt.date(2026, 2, 8),
        how_reported=HowReported.NON_EMERGENCY_CALL,
        location_description="Dwelling",
        location_postcode="QX9 9ZZ",
        offence_class=OffenceClass.objects.get(code="19C"),
        team=team,
        officer=officer,
        status=CaseStatus.UNDER_INVESTIGATION,
    )
    victim = PersonRecord.objects.create(first_name="Rowan", last_name="Teale", gender=Gender.FEMALE)
    suspect = PersonRecord.objects.create(first_name="Dale", last_name="Marsh", gender=Gender.MALE)
    Involvement.objects.create(case=case, person=victim, role=InvolvementRole.VICTIM)
    Involvement.objects.create(
        case=case, person=suspect, role=InvolvementRole.SUSPECT, relationship_to_victim=Relationship.ACQUAINTANCE
    )
    CaseEvent.objects.create(case=case, occurred_at=reported, kind=EventKind.REPORTED)
    return InvestigatorWithCase(
        username=user.username,
        password=password,
        case_id=str(case.pk),
        crime_reference=case.crime_reference,
        victim_name=victim.full_name,
        suspect_name=suspect.full_name,
    )
