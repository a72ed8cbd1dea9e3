"""What other apps show on a line of enquiry's page, without the investigation importing them.

An app registers a provider: given the user and the line, it returns a panel (a title, links to its
records that serve the line, and actions that start one), or None. The evidence register uses it to
list a line's requests and to start a request already linked to the line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LineLink:
    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class LinePanel:
    title: str
    links: list[LineLink] = field(default_factory=list)
    actions: list[LineLink] = field(default_factory=list)
    empty: str = ""  # what to say when there are no links


LinePanelProvider = Callable[[Any, Any], LinePanel | None]
_providers: list[tuple[str, LinePanelProvider]] = []


def register_line_panel(name: str, provider: LinePanelProvider) -> None:
    if all(existing != name for existing, _ in _providers):
        _providers.append((name, provider))


def line_panels_for(*, user: Any, line: Any) -> list[LinePanel]:
    return [panel for _, provider in _providers if (panel := provider(user, line)) is not None]
