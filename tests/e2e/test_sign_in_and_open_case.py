"""An investigator signs in, finds their case under "My cases" and opens it."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
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


def _rgb(css: str) -> tuple[int, int, int]:
    """ "rgb(11, 12, 12)" as a pixel."""
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return red, green, blue


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

    # What the user sees, from the rendered pixels: the whole page, the header in its colour across
    # the top, and the heading's text drawn (dark strokes on the light page), not a blank box.
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    width, height = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert shot.size == (width, height)
    header = page.locator(".moj-header").bounding_box()
    assert header is not None
    header_colour = _rgb(page.eval_on_selector(".moj-header", "h => getComputedStyle(h).backgroundColor"))
    assert shot.getpixel((int(header["x"]) + 3, int(header["y"]) + 3)) == header_colour
    heading = page.locator("h1").first.bounding_box()
    assert heading is not None
    drawn = shot.crop(
        (
            int(heading["x"]),
            int(heading["y"]),
            int(heading["x"] + heading["width"]),
            int(heading["y"] + heading["height"]),
        )
    )
    pixels = list(drawn.getdata())
    ink = sum(1 for pixel in pixels if sum(pixel) < 200)  # near black
    paper = sum(1 for pixel in pixels if sum(pixel) > 600)  # near white
    assert ink > 100, "the heading's text is not drawn"
    assert paper > ink, "the heading should be dark text on the light page"

    assert console_errors == []
