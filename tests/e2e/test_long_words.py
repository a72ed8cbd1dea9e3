"""A 5,000-character word on the victim tab wraps: the page is no wider than the browser's window.

Without `overflow-wrap: anywhere` the victim tab was 38,000 pixels wide, pushing the page's
navigation and actions out of sight of the officer reading it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import InvestigatorWithCase

pytestmark = [pytest.mark.browser]

WORD = "A" * 5000


@pytest.fixture
def victim_with_long_words(investigator_with_case: InvestigatorWithCase) -> InvestigatorWithCase:
    from bluestone.accounts.models import User  # noqa: PLC0415
    from bluestone.cases.models import Involvement, Role  # noqa: PLC0415
    from bluestone.victims.models import PortalMessage, VictimContact, VictimProfile  # noqa: PLC0415

    involvement = Involvement.objects.get(case_id=investigator_with_case.case_id, role=Role.VICTIM)
    profile = VictimProfile.objects.create(
        involvement=involvement,
        case=involvement.case,
        accessibility_needs=WORD,
        plan_notes=WORD,
        plan_cadence_days=28,
        plan_agreed_on=dt.date(2026, 2, 11),
    )
    when = dt.datetime(2026, 2, 12, 10, 0, tzinfo=dt.UTC)
    VictimContact.objects.create(
        profile=profile,
        case=involvement.case,
        occurred_at=when,
        channel="phone",
        made_by=User.objects.get(username=investigator_with_case.username),
        summary=WORD,  # in a table cell: the hardest place to wrap
    )
    PortalMessage.objects.create(profile=profile, case=involvement.case, body=WORD, sent_at=when)
    return investigator_with_case


def test_the_victim_tab_with_a_5000_character_word_is_no_wider_than_the_window(
    live_server, page: Page, victim_with_long_words: InvestigatorWithCase
) -> None:
    seed = victim_with_long_words
    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_username", seed.username)
    page.fill("#id_password", seed.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/my-work/")

    page.goto(f"{live_server.url}/cases/{seed.case_id}/victim/")
    # The word is on the page (four times), so a narrow page is not one that left it out.
    expect(page.get_by_text(WORD)).to_have_count(4)

    viewport_width = page.viewport_size["width"] if page.viewport_size else 0
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= viewport_width, widths
    for cell in page.get_by_text(WORD).all():
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= viewport_width, box
