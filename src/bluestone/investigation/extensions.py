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


@dataclass(frozen=True)
class LineDecisionFollower:
    name: str
    # problems(actor, line, approve) -> why this decision cannot also decide the app's records.
    problems: Callable[[Any, Any, bool], list[str]]
    # follow(actor=, line=, approve=, note=, request=) -> what else was decided, one sentence each.
    follow: Callable[..., list[str]]


_followers: list[LineDecisionFollower] = []


def register_line_decision_follower(follower: LineDecisionFollower) -> None:
    if all(existing.name != follower.name for existing in _followers):
        _followers.append(follower)


def line_decision_problems(*, actor: Any, line: Any, approve: bool) -> list[str]:
    return [problem for follower in _followers for problem in follower.problems(actor, line, approve)]


def line_decision_follow(*, actor: Any, line: Any, approve: bool, note: str, request: Any = None) -> list[str]:
    return [
        sentence
        for follower in _followers
        for sentence in follower.follow(actor=actor, line=line, approve=approve, note=note, request=request)
    ]
