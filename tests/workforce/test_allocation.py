"""The allocation page shows each officer's load and warns before a case goes to an officer over the threshold."""

from __future__ import annotations

import pytest

from bluestone.cases.models import CaseStatus
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(team):
    officer = OfficerFactory.create(team=team, user=UserFactory.create(team=team), first_name="Bea", last_name="Busy")
    CaseFactory.create_batch(3, officer=officer, team=team, non_recent=True)
    return officer


@pytest.fixture
def unallocated(team):
    return CaseFactory.create(team=team, officer=None, status=CaseStatus.REPORTED)


@pytest.mark.usefixtures("officer")
def test_the_page_shows_each_officer_s_load(signed_in, supervisor, busy, unallocated, settings):
    settings.BLUESTONE_CASELOAD_THRESHOLD = 3
    page = signed_in(supervisor).get(f"/cases/{unallocated.pk}/allocate/").content.decode()
    assert "3 open cases, weighted load 3.75 (threshold 3)" in page
    assert "0 open cases, weighted load 0 (threshold 3)" in page
    assert page.count("Over threshold") == 1


def test_allocating_to_an_officer_over_the_threshold_warns_first(signed_in, supervisor, busy, unallocated, settings):
    settings.BLUESTONE_CASELOAD_THRESHOLD = 3
    client = signed_in(supervisor)
    response = client.post(f"/cases/{unallocated.pk}/allocate/", {"officer": busy.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is over the caseload threshold: 3 open cases, weighted load 3.75 (threshold 3)" in page
    assert "Allocate anyway" in page
    unallocated.refresh_from_db()
    assert unallocated.officer is None

    response = client.post(f"/cases/{unallocated.pk}/allocate/", {"officer": busy.pk, "confirm_over_threshold": "on"})
    assert response.status_code == 302
    unallocated.refresh_from_db()
    assert unallocated.officer == busy


def test_an_officer_under_the_threshold_is_allocated_at_once(signed_in, supervisor, busy, unallocated, settings):
    settings.BLUESTONE_CASELOAD_THRESHOLD = 3.75  # at the threshold is not over it
    response = signed_in(supervisor).post(f"/cases/{unallocated.pk}/allocate/", {"officer": busy.pk})
    assert response.status_code == 302
    unallocated.refresh_from_db()
    assert unallocated.officer == busy
