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
    # decides_too(lines) -> for each line (by pk) whose decision would also decide the app's records
    # still waiting, those records in words ("its request for data from a victim's device"): the
    # Approvals queue shows the action once, saying what it decides besides.
    decides_too: Callable[[list[Any]], dict[Any, list[str]]] | None = None


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


def line_decision_decides_too(*, lines: list[Any]) -> dict[Any, list[str]]:
    """What deciding each line would decide besides, by the line's pk (lines deciding nothing else are
    left out)."""
    words: dict[Any, list[str]] = {}
    for follower in _followers:
        if follower.decides_too is None:
            continue
        for pk, records in follower.decides_too(lines).items():
            words.setdefault(pk, []).extend(records)
    return words


@dataclass(frozen=True)
class NextThing:
    text: str  # what to do, without a victim's name: "Give the victim's phone back (exhibit EV/1)"
    url: str
    due_at: Any  # datetime.datetime (timezone-aware)
    due_words: str  # "due in 3 hours 41 minutes", "overdue by 2 hours"
    overdue: bool = False


NextThingsProvider = Callable[[Any, Any], list[NextThing]]
_next_things: list[tuple[str, NextThingsProvider]] = []


def register_next_things(name: str, provider: NextThingsProvider) -> None:
    if all(existing != name for existing, _ in _next_things):
        _next_things.append((name, provider))


def next_things_for(*, user: Any, case: Any) -> list[NextThing]:
    """Every provider's next things on the case for this user, overdue first, then soonest due."""
    things = [thing for _, provider in _next_things for thing in provider(user, case)]
    return sorted(things, key=lambda thing: (not thing.overdue, thing.due_at))
