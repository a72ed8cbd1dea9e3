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

from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# The WCAG 2.2 A and AA rules, which is what public-sector websites must meet, plus axe's best practices.
RUN_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """The violations axe-core finds on the current page whose impact is one of `impacts`."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate("options => window.axe.run(document, options)", RUN_OPTIONS)
    return [v for v in results["violations"] if v.get("impact") in impacts]


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
