"""Guidance at the point of work: the pages where the work happens show the practice note for it.

The pages belong to apps low in the house (a digital request to `evidence`, bail and reviews to
`investigation`); the notes, their versions and the pages to edit them belong to `workforce`, above
them. So a page names the note it wants by key, `{% guidance "bail" %}` (core's template tags), and
the app that keeps the notes registers, in its AppConfig.ready(), the function that finds one:

    register_guidance_source(lambda key: {"title": ..., "body": ..., "url": ..., "version": ...} or None)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

GuidanceSource = Callable[[str], dict[str, Any] | None]

_sources: list[GuidanceSource] = []


def register_guidance_source(source: GuidanceSource) -> None:
    if source not in _sources:
        _sources.append(source)


def guidance_for(key: str) -> dict[str, Any] | None:
    """The current note for `key` (title, body, url, version), or None when there is none."""
    for source in _sources:
        found = source(key)
        if found is not None:
            return found
    return None
