"""Analysts cannot recover crime references from the order of their case list (security review,
finding 7). Crime references are numbered in the order cases are recorded: a list that sorts by the
reference, or by anything that orders cases the same way (the exact time of the report), lets an
analyst count their way from a case key back to its reference. The attack: sort the pseudonymised
list by the "Case key" header (which sorted by crime reference), or by the report time.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from bluestone.accounts.models import Role
from bluestone.core.pseudonyms import case_key
from tests.dates import date_boxes
from tests.factories import CaseFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# Random ids in an order unrelated to the references' (a fixed shuffle, so the test is repeatable).
SHUFFLE = [3, 0, 5, 1, 4, 2]
SORTS = ["", "crime_reference", "-crime_reference", "reported", "-reported", "offence", "-offence", "status", "-status"]


@pytest.fixture
def month_of_cases():
    team = TeamFactory.create()
    cases = []
    for number, position in enumerate(SHUFFLE):
        cases.append(
            CaseFactory.create(
                id=uuid.UUID(int=position + 1),
                team=team,
                crime_reference=f"BS/26/{number + 1:07d}",
                # Reported in the order of the references, an hour apart, all in March.
                reported_at=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC) + dt.timedelta(hours=number),
            )
        )
    return cases


def _keys_in_order(client, sort: str) -> list[str]:
    response = client.get("/analysis/cases/", {"sort": sort} if sort else {})
    assert response.status_code == 200
    return re.findall(r"Case [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", response.content.decode())


def test_no_sort_puts_cases_in_the_order_of_their_crime_references(client, month_of_cases):
    client.force_login(UserFactory.create(role=Role.ANALYST))
    by_reference = [case_key(case.pk) for case in sorted(month_of_cases, key=lambda c: c.crime_reference)]
    orders = {sort: _keys_in_order(client, sort) for sort in SORTS}
    for sort, keys in orders.items():
        assert sorted(keys) == sorted(by_reference), sort
        assert keys != by_reference, f"sort={sort!r} lists cases in crime reference order"
        assert keys != by_reference[::-1], f"sort={sort!r} lists cases in reverse crime reference order"
    # Within a month the order is the same whichever way the month is sorted: it carries no time.
    assert orders["reported"] == orders["-reported"]


def test_no_column_heading_sorts_by_the_case_key_or_reference(client, month_of_cases):
    client.force_login(UserFactory.create(role=Role.ANALYST))
    page = client.get("/analysis/cases/").content.decode()
    assert "crime_reference" not in page
    assert "BS/26/" not in page


def test_date_filters_take_whole_months(client, month_of_cases):
    client.force_login(UserFactory.create(role=Role.ANALYST))
    one_day = client.get(
        "/analysis/cases/", {**date_boxes("reported_from", "10/03/2026"), **date_boxes("reported_to", "10/03/2026")}
    )
    assert one_day.status_code == 200
    assert "6 cases" in one_day.content.decode()
    other_day = client.get(
        "/analysis/cases/", {**date_boxes("reported_from", "20/03/2026"), **date_boxes("reported_to", "20/03/2026")}
    )
    assert "6 cases" in other_day.content.decode()
