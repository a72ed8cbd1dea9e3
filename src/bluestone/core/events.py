"""Domain events between apps: one app says what happened, others act on it, and neither imports
the other's internals.

`cases` sits below `investigation`, `victims`, `evidence` and `suspects`. When a case is created or
an investigation event is recorded, the Victims' Code must open its duties and linkage must score
the new people, but `cases` must not import those apps. So the publisher calls `publish(event)` and
each interested app subscribes a handler in its AppConfig.ready(). This is explicit: the event
types are dataclasses named in one module (`bluestone.cases.events`), every handler is registered
in one visible place per app, and `subscribers_of` lists them (tests use it).

Handlers run synchronously, inside the publisher's transaction: an obligation opened by an arrest
commits or rolls back with the arrest. Slow work (linkage scoring) is not done in a handler: the
handler enqueues a task on commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

E = TypeVar("E")

_handlers: defaultdict[type[Any], list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call `handler(event)` for every published event of `event_type`. Subscribing twice is a no-op."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: object) -> None:
    """Hand `event` to each subscriber of its type, in the order they subscribed. An exception in a
    handler propagates to the publisher, whose transaction then rolls back: nothing is half-done."""
    for handler in list(_handlers[type(event)]):
        handler(event)


def subscribers_of(event_type: type[Any]) -> list[Callable[[Any], None]]:
    return list(_handlers[event_type])
