"""Two decisions on the same row at the same moment, for the tests of each "must be awaiting X" rule.

`decide_at_once` (PostgreSQL) runs two deciders in two threads, each with its own connection, as two
web requests would. Both start together (a barrier); each loads the row as a view does and calls the
service. The first one's transaction is held open after its service returns, with every lock it took,
until the second has either finished or is waiting on a lock in the database (pg_stat_activity says
so); then the first commits. So the two always overlap the way a race needs, whatever the machine's
speed: without a lock, the second's check reads the row as it was and its write follows the first's;
with one, the second waits and then reads what the first wrote.

`decide_one_after_the_other` (any database) is the same story without threads: both rows are loaded
before either decides, so the second decides on a copy that is out of date.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

# Generous: on a loaded machine a thread can take seconds to be scheduled. Never reached when the
# code is right; a test that reaches it fails.
DEADLINE_SECONDS = 60


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None

    @property
    def refused(self) -> bool:
        return isinstance(self.error, ValidationError)

    @property
    def message(self) -> str:
        if isinstance(self.error, ValidationError):
            return " ".join(self.error.messages)
        return ""


Decider = Callable[[], Any]


@dataclass
class Scenario:
    """One transition: how a view loads the row, the two decisions, what the second is told, and a
    check that the database holds one decision's effects (its rows, timeline and audit entries), not two."""

    load: Callable[[], Any]
    first: Callable[[Any], Any]
    second: Callable[[Any], Any]
    refused_with: str
    check: Callable[[], None]

    def at_once(self) -> tuple[Outcome, Outcome]:
        return decide_at_once(lambda: self.first(self.load()), lambda: self.second(self.load()))

    def one_after_the_other(self) -> tuple[Outcome, Outcome]:
        return decide_one_after_the_other(self.load, self.first, self.second)


def audited(object_id: Any, **details: Any) -> int:
    """How many audit entries name `object_id` with these details (a list: any of its values)."""
    from bluestone.audit.models import AuditEvent  # noqa: PLC0415 (Django is set up by then)

    lookups = {
        f"details__{key}__in" if isinstance(value, list) else f"details__{key}": value for key, value in details.items()
    }
    return AuditEvent.objects.filter(object_id=str(object_id), **lookups).count()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def decide_at_once(first: Decider, second: Decider) -> tuple[Outcome, Outcome]:
    """Run `first` and `second` in two threads so that they overlap (see the module's docstring).

    Each decider loads what it needs itself, in its own thread. Returns what each returned or raised.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("decide_at_once needs PostgreSQL: mark the test 'postgres'")
    start = threading.Barrier(2)
    first_has_written = threading.Event()
    first_may_commit = threading.Event()
    second_pid: list[int] = []
    outcomes = (Outcome(), Outcome())

    def run_first() -> None:
        try:
            start.wait(timeout=DEADLINE_SECONDS)
            with transaction.atomic():
                outcomes[0].value = first()
                first_has_written.set()
                first_may_commit.wait(timeout=DEADLINE_SECONDS)
        except BaseException as error:  # handed to the test, which checks it
            outcomes[0].error = error
        finally:
            first_has_written.set()
            connection.close()

    def run_second() -> None:
        try:
            second_pid.append(_backend_pid())
            start.wait(timeout=DEADLINE_SECONDS)
            first_has_written.wait(timeout=DEADLINE_SECONDS)
            outcomes[1].value = second()
        except BaseException as error:
            outcomes[1].error = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    try:
        if not first_has_written.wait(timeout=DEADLINE_SECONDS):
            raise AssertionError("the first decision did not finish")
        give_up = time.monotonic() + DEADLINE_SECONDS
        while threads[1].is_alive() and not (second_pid and _waiting_on_a_lock(second_pid[0])):
            if time.monotonic() > give_up:
                raise AssertionError("the second decision neither finished nor waited for the first")
            time.sleep(0.01)
    finally:
        first_may_commit.set()
        for thread in threads:
            thread.join(timeout=DEADLINE_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a decision did not finish"
    return outcomes


def decide_one_after_the_other(
    load: Callable[[], Any], first: Callable[[Any], Any], second: Callable[[Any], Any]
) -> tuple[Outcome, Outcome]:
    """Load the row twice, then decide on the first copy and on the (now out of date) second copy."""
    copies = (load(), load())
    outcomes = (Outcome(), Outcome())
    for outcome, decide, copy in zip(outcomes, (first, second), copies, strict=True):
        try:
            outcome.value = decide(copy)
        except ValidationError as error:
            outcome.error = error
    return outcomes


def exactly_one_won(outcomes: tuple[Outcome, Outcome], *, refused_with: str) -> Outcome:
    """The first decided, the second was refused with a message containing `refused_with`."""
    first, second = outcomes
    assert first.error is None, f"the first decision failed: {first.error!r}"
    assert second.refused, f"the second decision was not refused: {second.error!r} / {second.value!r}"
    assert refused_with in second.message, second.message
    return first
