"""A pytest plugin for the whole suite: empty the audit log before a transactional test's flush.

A transactional test (`transactional_db`, `live_server`, `django_db(transaction=True)`) commits for
real, and Django flushes every table afterwards. The database refuses to delete or truncate audit
entries, so once a test has recorded one, the flush fails. This plugin empties the log first, with
the triggers lifted as a DBA would: load it with ``pytest_plugins = ["tests.audit.flush"]`` in the
root conftest, or ``-p tests.audit.flush``.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.audit import tamper


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # Runs before the test's fixtures are finalised, so before pytest-django's flush.
    if connection.in_atomic_block:
        return  # an ordinary django_db test: its transaction is rolled back, nothing to flush
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {tamper.TABLE} LIMIT 1")  # noqa: S608 (a constant)
            has_entries = cursor.fetchone() is not None
    except RuntimeError:
        return  # the test had no database access (pytest-django blocks it)
    if has_entries:
        tamper.purge()
