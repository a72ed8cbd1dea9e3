"""An investigator signs in, finds their case under "My cases" and opens it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import InvestigatorWithCase

pytestmark = [pytest.mark.browser]

# The text of everything between the "People" heading and the next h2: the People section.
PEOPLE_SECTION_JS = """() => {
  const heading = [...document.querySelectorAll("h2")].find(h => h.textContent.trim() === "People");
  if (!heading) return null;
  let text = "";
  for (let node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
    text += " " + node.innerText;
  }
  return text;
}"""


def test_investigator_signs_in_and_opens_their_case(
    live_server, page: Page, console_errors: list[str], investigator_with_case: InvestigatorWithCase
) -> None:
    seed = investigator_with_case

    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_username", seed.username)
    page.fill("#id_password", seed.password)
    page.get_by_role("button", name="Sign in").click()

    # Signed in, the investigator lands on My work, and finds their cases one link away.
    expect(page).to_have_url(re.compile(r"/my-work/$"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases").click()
    expect(page).to_have_url(re.compile(r"/cases/mine/(\?.*)?$"))
    expect(page.locator("h1")).to_contain_text("My cases")
    case_link = page.locator("table").get_by_role("link", name=seed.crime_reference)
    expect(case_link).to_have_count(1)
    assert case_link.get_attribute("href") == f"/cases/{seed.case_id}/"

    stylesheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)")
    assert any("govuk" in href for href in stylesheets), stylesheets

    case_link.click()
    expect(page).to_have_url(f"{live_server.url}/cases/{seed.case_id}/")
    reference_shown = page.locator("h1, .moj-identity-bar").filter(has_text=seed.crime_reference)
    expect(reference_shown.first).to_be_visible()

    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    people = page.evaluate(PEOPLE_SECTION_JS)
    assert people is not None, "no People section on the case page"
    for expected in ("Victim", "Suspect", seed.victim_name, seed.suspect_name):
        assert expected in people, f"{expected!r} not in the People section: {people!r}"

    # The GOV.UK stylesheet really loaded (served by WhiteNoise from the vendored assets).
    response = page.request.get(next(href for href in stylesheets if "govuk" in href))
    assert response.ok, response.status
    assert "text/css" in response.headers.get("content-type", "")

    with tempfile.TemporaryDirectory(prefix="bluestone-e2e-") as folder:
        shot = Path(folder) / "case.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0

    assert console_errors == []
