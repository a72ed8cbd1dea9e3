"""axe-core in the browser: run it on the page Playwright has open and return what it finds.

Usage in a browser test:

    from tests.e2e.axe import assert_accessible
    page.goto(...)
    assert_accessible(page)            # no serious or critical violation

The pages forbid inline script (Content-Security-Policy), so axe is not added as a <script> tag:
its source is evaluated through the DevTools protocol, which the policy does not govern.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# The WCAG 2.2 A and AA rules, which is what public-sector websites must meet, plus axe's best practices.
RUN_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


# What Playwright says when the page navigates away while a script is running in it.
_NAVIGATED_AWAY = ("Execution context was destroyed", "documentElement", "navigat")


def axe_violations(page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """The violations axe-core finds on the current page whose impact is one of `impacts`.

    A test should wait for the page it means to check (an `expect` on its heading) before calling
    this. As a second line, if a navigation replaces the document while axe runs, axe runs again
    on the page that loaded, so the check is never of a half-swapped document.
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(_axe_source())
            results = page.evaluate("options => window.axe.run(document, options)", RUN_OPTIONS)
        except Error as error:
            if attempt == 2 or not any(sign in str(error) for sign in _NAVIGATED_AWAY):
                raise
            continue
        return [v for v in results["violations"] if v.get("impact") in impacts]
    raise AssertionError("unreachable")  # pragma: no cover


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> None:
    """Fail with a readable list if axe-core finds a violation of one of `impacts` on the page."""
    violations = axe_violations(page, impacts=impacts)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
