"""Bail authority beyond rank: administrators give, change and take it away; it decides how far a
supervisor may extend pre-charge bail; every change is in the s.62 log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditEvent
from bluestone.investigation.models import AuthorityLevel, BailAuthority
from bluestone.investigation.services import bail_authority_grant, bail_authority_revoke, user_bail_authority
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory.create(username="admin.ba", role=Role.ADMINISTRATOR)


def _log(user):
    return list(
        AuditEvent.objects.filter(object_type="investigation.BailAuthority", details__user_id=user.pk)
        .order_by("sequence")
        .values_list("details", flat=True)
    )


def test_an_administrator_gives_superintendent_authority_on_the_page(signed_in, administrator, supervisor):
    client = signed_in(administrator)
    page = client.get("/bail-authority/").content.decode()
    assert "Nobody has bail authority beyond their rank" in page
    assert supervisor.username in page  # among the supervisors to choose from

    response = client.post("/bail-authority/", {"user": supervisor.pk, "level": AuthorityLevel.SUPERINTENDENT})
    assert response["Location"] == "/bail-authority/"
    assert user_bail_authority(supervisor) == AuthorityLevel.SUPERINTENDENT
    page = client.get("/bail-authority/").content.decode()
    assert "Superintendent" in page.split('data-testid="bail-authorities"')[1].split("</table>")[0]
    assert _log(supervisor) == [{"user_id": supervisor.pk, "level": 2, "previous_level": 0}]


def test_a_form_with_nothing_chosen_is_refused_field_by_field(signed_in, administrator):
    response = signed_in(administrator).post("/bail-authority/", {"csrfmiddlewaretoken": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="govuk-error-summary"') == 1
    assert "Choose the supervisor" in page
    assert "Choose the authority" in page
    assert not BailAuthority.objects.exists()


def test_only_supervisors_hold_it_and_a_court_is_not_a_person(administrator, supervisor, investigator):
    with pytest.raises(ValidationError, match="for supervisors"):
        bail_authority_grant(actor=administrator, user=investigator, level=AuthorityLevel.INSPECTOR)
    with pytest.raises(ValidationError, match="inspector or superintendent"):
        bail_authority_grant(actor=administrator, user=supervisor, level=AuthorityLevel.COURT)
    assert not BailAuthority.objects.exists()
    assert AuditEvent.objects.filter(object_type="investigation.BailAuthority").count() == 0


def test_changing_the_level_keeps_one_row_and_logs_the_change(administrator, supervisor):
    bail_authority_grant(actor=administrator, user=supervisor, level=AuthorityLevel.INSPECTOR)
    bail_authority_grant(actor=administrator, user=supervisor, level=AuthorityLevel.SUPERINTENDENT)
    with pytest.raises(ValidationError, match="already holds this authority"):
        bail_authority_grant(actor=administrator, user=supervisor, level=AuthorityLevel.SUPERINTENDENT)
    assert BailAuthority.objects.filter(user=supervisor).count() == 1
    assert [entry["previous_level"] for entry in _log(supervisor)] == [0, 1]


def test_taking_it_away_leaves_authority_from_rank_only(signed_in, administrator, supervisor):
    authority = bail_authority_grant(actor=administrator, user=supervisor, level=AuthorityLevel.SUPERINTENDENT)
    client = signed_in(administrator)
    # Without the form's confirmation nothing changes.
    client.post(f"/bail-authority/{authority.pk}/revoke/", {})
    assert user_bail_authority(supervisor) == AuthorityLevel.SUPERINTENDENT
    client.post(f"/bail-authority/{authority.pk}/revoke/", {"confirm": "yes"})
    assert user_bail_authority(supervisor) == AuthorityLevel.NONE
    assert _log(supervisor)[-1] == {"user_id": supervisor.pk, "level": 0, "previous_level": 2}


def test_nobody_but_an_administrator_manages_it(supervisor, investigator):
    for actor in (supervisor, investigator):
        with pytest.raises(PermissionDenied):
            bail_authority_grant(actor=actor, user=supervisor, level=AuthorityLevel.SUPERINTENDENT)
    administrator = UserFactory.create(role=Role.ADMINISTRATOR)
    authority = bail_authority_grant(actor=administrator, user=supervisor, level=AuthorityLevel.INSPECTOR)
    with pytest.raises(PermissionDenied):
        bail_authority_revoke(actor=supervisor, authority=authority)
    assert BailAuthority.objects.filter(pk=authority.pk).exists()
