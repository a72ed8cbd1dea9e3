"""Appends from concurrent transactions form one unbroken chain (PostgreSQL: the advisory lock)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, transaction

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.services import audit_record
from bluestone.audit.verify import audit_log_verify
from tests.audit import tamper

# serialized_rollback: the flush afterwards would otherwise take the reference data later tests need.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def empty_log_afterwards() -> Iterator[None]:
    # The flush after a transactional test truncates every table, and the database refuses to
    # truncate a log with entries in it: empty it first, as a DBA with full rights would.
    yield
    tamper.purge()


def _in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the test thread, which fails on it
            errors.append(error)
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_two_threads_appending_at_once_make_one_chain() -> None:
    per_thread = 30
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def append(name: str) -> Callable[[], None]:
        def work() -> None:
            start.wait(timeout=10)
            for number in range(per_thread):
                with transaction.atomic():
                    audit_record(actor=None, action=AuditAction.COMBINATION, details={"thread": name, "n": number})

        return work

    threads = [_in_thread(append(name), errors) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 2 * per_thread + 1))
    result = audit_log_verify()
    assert result.intact
    assert result.entries == 2 * per_thread


def test_a_second_writer_waits_for_the_first_to_commit_then_chains_after_it() -> None:
    first_appended = threading.Event()
    let_first_commit = threading.Event()
    second_done = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with transaction.atomic():
            audit_record(actor=None, action=AuditAction.SIGN_IN, details={"writer": 1})
            first_appended.set()
            let_first_commit.wait(timeout=10)

    def second() -> None:
        first_appended.wait(timeout=10)
        with transaction.atomic():
            audit_record(actor=None, action=AuditAction.SIGN_IN, details={"writer": 2})
        second_done.set()

    threads = [_in_thread(first, errors), _in_thread(second, errors)]
    for thread in threads:
        thread.start()
    # While the first transaction is open, the second cannot read the head of the chain.
    assert not second_done.wait(timeout=1)
    let_first_commit.set()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert list(AuditEvent.objects.values_list("sequence", "details__writer")) == [(1, 1), (2, 2)]
    assert audit_log_verify().intact
