"""An analyst reviews a proposed link: two suspect records side by side, the match weights drawn on
the server, a case need to see the names, then Confirm; the two records become one identity."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser]


@dataclass(frozen=True)
class ProposedLink:
    username: str
    password: str
    explanation_id: str
    person_ids: tuple[str, str]


@pytest.fixture
def proposed_link(django_db_serialized_rollback: None, transactional_db: None) -> ProposedLink:
    from bluestone.accounts.models import Role, User  # noqa: PLC0415
    from tests.factories import CaseFactory  # noqa: PLC0415
    from tests.suspects.factories import explanation, suspect_on  # noqa: PLC0415

    password = "e2e-test-password-not-secret"
    analyst = User.objects.create_user(
        username="analyst.e2e", password=password, first_name="Sam", last_name="Okafor", role=Role.ANALYST
    )
    a = suspect_on(CaseFactory.create(), first_name="Lewis", last_name="Harker")
    b = suspect_on(CaseFactory.create(), first_name="Louis", last_name="Harker")
    pair = explanation(a, b, probability=0.82)
    return ProposedLink(
        username=analyst.username,
        password=password,
        explanation_id=str(pair.pk),
        person_ids=(str(pair.person_a_id), str(pair.person_b_id)),
    )


def test_analyst_reviews_and_confirms_a_proposed_link(
    live_server, page: Page, console_errors: list[str], proposed_link: ProposedLink
) -> None:
    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_username", proposed_link.username)
    page.fill("#id_password", proposed_link.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page

    # The navigation's item (the register's explanation also links to link review, in lower case).
    page.get_by_role("link", name="Link review", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/link-review/{proposed_link.explanation_id}/")
    expect(page.locator("h1")).to_have_text("Are these two suspect records the same person?")
    expect(page.get_by_test_id("probability")).to_contain_text("82%")
    # Pseudonymised until the analyst records why they need the names.
    expect(page.get_by_test_id("record-a")).to_contain_text("Not shown")
    expect(page.get_by_test_id("weights-chart")).to_be_visible()
    expect(page.get_by_test_id("weights-table").locator("tbody tr")).to_have_count(6)
    assert_accessible(page)

    page.get_by_label("Why do you need it?").fill("Reviewing a proposed link between two suspect records")
    page.get_by_role("button", name="Record a case need").click()
    expect(page.get_by_test_id("record-a")).to_contain_text("Harker")
    expect(page.get_by_test_id("record-b")).to_contain_text("Harker")

    page.get_by_label("Confirm: they are the same person").check()
    page.get_by_role("button", name="Record decision").click()

    expect(page).to_have_url(re.compile(r"/link-review/$"))
    expect(page.get_by_text("Your decision is recorded")).to_be_visible()
    expect(page.get_by_test_id("review-empty")).to_be_visible()

    from bluestone.suspects.models import IdentityMember, ReviewDecision  # noqa: PLC0415

    decision = ReviewDecision.objects.get()
    assert decision.kind == "confirm"
    identities = set(
        IdentityMember.objects.filter(person_id__in=proposed_link.person_ids).values_list("identity_id", flat=True)
    )
    assert len(identities) == 1
    assert IdentityMember.objects.filter(person_id__in=proposed_link.person_ids).count() == 2

    # The confirmed pair is now a repeat suspect: on the register, with its identity page.
    page.get_by_role("link", name="Repeat suspects").first.click()
    expect(page.get_by_test_id("register").locator("tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.get_by_test_id("register").locator("tbody tr a").click()
    expect(page.get_by_test_id("timeline").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("decisions")).to_contain_text("Confirmed: the same person")
    assert_accessible(page)
    assert console_errors == []
