"""Copy the compiled GOV.UK Frontend and MOJ Frontend files from node_modules into static/vendor.

Run as `python -m bluestone.core.assets` (the Makefile's `assets` target, after `npm ci`). The pages
are served from these local copies by WhiteNoise: nothing comes from a CDN.

Both packages compile their CSS with `url(/assets/...)`, which only works when the files sit at the
site root. Each such URL is rewritten to a path relative to the stylesheet, so the files work under
any STATIC_URL and ManifestStaticFilesStorage can fingerprint them; a URL that names no copied file
stops the build instead of turning into a 404 in a browser.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
NODE_MODULES = PROJECT_ROOT / "node_modules"
VENDOR_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor"

_CSS_URL = re.compile(r"url\((['\"]?)/assets/([^)'\"]+)\1\)")
_SOURCE_MAP_COMMENT = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")


class AssetsError(Exception):
    """Something a person must fix before the assets can be copied."""


@dataclass(frozen=True)
class Package:
    name: str
    source: Path  # the package's compiled folder, inside node_modules
    target: str  # folder under static/vendor
    stylesheet: str
    script: str


def packages(node_modules: Path) -> list[Package]:
    return [
        Package(
            name="govuk-frontend",
            source=node_modules / "govuk-frontend" / "dist" / "govuk",
            target="govuk",
            stylesheet="govuk-frontend.min.css",
            script="all.bundle.mjs",
        ),
        Package(
            name="@ministryofjustice/frontend",
            source=node_modules / "@ministryofjustice" / "frontend" / "moj",
            target="moj",
            stylesheet="moj-frontend.min.css",
            script="all.bundle.mjs",
        ),
    ]


def rewrite_css_urls(css: str, *, stylesheet_dir: Path, fallbacks: list[Path]) -> str:
    """Point each `url(/assets/...)` at a copied file, relative to the stylesheet's folder.

    The package's own assets come first; `fallbacks` are other packages' vendor folders, for a
    stylesheet that borrows their fonts or images (MOJ Frontend's CSS may refer to GOV.UK's).
    """

    def replace(match: re.Match[str]) -> str:
        relative = match.group(2)
        for base in [stylesheet_dir, *fallbacks]:
            candidate = base / "assets" / relative
            if candidate.is_file():
                return f"url({_relative_path(candidate, stylesheet_dir)})"
        raise AssetsError(f"{stylesheet_dir.name}: the stylesheet refers to /assets/{relative}, which no package has.")

    css = _CSS_URL.sub(replace, css)
    # The rewritten file no longer matches the package's source map, so it is not offered.
    return _SOURCE_MAP_COMMENT.sub("", css)


def _relative_path(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


def copy_assets(*, node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the stylesheets, ES module bundles, fonts and images; return the files written."""
    if not node_modules.is_dir():
        raise AssetsError(f"{node_modules} does not exist: run `make install` (or `npm ci`) first.")
    chosen = packages(node_modules)
    for package in chosen:
        if not (package.source / package.stylesheet).is_file():
            raise AssetsError(
                f"{package.name} is missing or incomplete in {node_modules}: run `make install` (or `npm ci`) again."
            )

    if vendor_dir.exists():
        shutil.rmtree(vendor_dir)
    written: list[Path] = []
    for package in chosen:
        target = vendor_dir / package.target
        shutil.copytree(package.source / "assets", target / "assets")
        written.extend(path for path in (target / "assets").rglob("*") if path.is_file())
        for name in (package.script, f"{package.script}.map"):
            shutil.copy2(package.source / name, target / name)
            written.append(target / name)

    for package in chosen:
        target = vendor_dir / package.target
        others = [vendor_dir / other.target for other in chosen if other is not package]
        css = (package.source / package.stylesheet).read_text(encoding="utf-8")
        stylesheet = target / package.stylesheet
        stylesheet.write_text(rewrite_css_urls(css, stylesheet_dir=target, fallbacks=others), encoding="utf-8")
        written.append(stylesheet)
    return written


def main() -> int:
    try:
        written = copy_assets()
    except AssetsError as error:
        sys.stderr.write(f"Could not copy the front-end assets. {error}\n")
        return 1
    relative_vendor = VENDOR_DIR.relative_to(PROJECT_ROOT)
    sys.stdout.write(f"Copied {len(written)} front-end files into {relative_vendor}.\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
