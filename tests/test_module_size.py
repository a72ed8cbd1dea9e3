"""No services module grows past what one person holds in their head (issue 13).

An app's writes live in `services.py`, or once they outgrow it in a `services/` package with a module
per sub-domain (docs/architecture.md, "Layout"). Past 600 lines a module is split the same way.
"""

from __future__ import annotations

from pathlib import Path

import bluestone

MAX_SERVICES_LINES = 600


def services_modules(root: Path) -> list[Path]:
    """Every `services.py` under `root`, and every module of a `services` package."""
    return sorted(
        path for path in root.rglob("*.py") if path.name == "services.py" or "services" in path.parent.parts[-1:]
    )


def too_long(root: Path, limit: int = MAX_SERVICES_LINES) -> list[str]:
    """The services modules over `limit` lines, as "path (lines)" relative to `root`."""
    found = []
    for path in services_modules(root):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(root)} ({lines})")
    return found


def test_no_services_module_of_bluestone_is_over_600_lines() -> None:
    root = Path(bluestone.__file__).parent
    found = {str(path.relative_to(root)) for path in services_modules(root)}
    # Both shapes are looked at: a plain module and the modules of a package.
    assert "cases/services.py" in found
    assert "investigation/services/bail.py" in found
    assert "evidence/services/__init__.py" in found
    assert too_long(root) == []


def test_a_services_module_over_the_limit_is_named(tmp_path: Path) -> None:
    (tmp_path / "app" / "services").mkdir(parents=True)
    (tmp_path / "app" / "services" / "__init__.py").write_text("")
    (tmp_path / "app" / "services" / "plans.py").write_text("x = 1\n" * 601)
    (tmp_path / "app" / "services" / "bail.py").write_text("x = 1\n" * 600)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "services.py").write_text("x = 1\n" * 700)
    (tmp_path / "other" / "views.py").write_text("x = 1\n" * 900)  # not a services module

    assert too_long(tmp_path) == ["app/services/plans.py (601)", "other/services.py (700)"]
