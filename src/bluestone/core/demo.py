"""Steps that apps add to `bluestone demo`, so the demo tells the story in SERVICE-MAP.md without
the core importing the apps above it. An app registers its step in AppConfig.ready():

    register_demo_step(DemoStep(name="victims", order=40, run=seed_demo))

`run(users=..., stdout=...)` gets the demo users by role and returns lines to print at the end (a
portal reference and access code, say). Steps run in `order` after the synthetic force is loaded
and the demo users exist; each must be deterministic and safe to run again on the same database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: Callable[..., list[str]]


_steps: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> None:
    if all(existing.name != step.name for existing in _steps):
        _steps.append(step)
        _steps.sort(key=lambda s: s.order)


def demo_steps() -> list[DemoStep]:
    return list(_steps)


def run_demo_steps(*, users: dict[str, Any], stdout: Any) -> list[str]:
    lines: list[str] = []
    for step in _steps:
        stdout.write(f"Preparing the demo: {step.name} ...")
        lines.extend(step.run(users=users, stdout=stdout))
    return lines
