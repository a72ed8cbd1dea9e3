"""The case summary's "Next things to do" lists a victim's phone the case still holds, with the time it
is due back, for the people who may see the case's evidence (issue 14, defect 12); once it is given
back, its page points to the request it was taken under, still open."""

from __future__ import annotations

import datetime as dt

import pytest

from bluestone.core import clock
from bluestone.evidence.services import exhibit_return
from bluestone.investigation.services import plan_create
from tests.evidence.factories import victim_phone

pytestmark = pytest.mark.django_db


def _next_things(client, case) -> str:
    html = client.get(f"/cases/{case.pk}/").content.decode().replace("&#x27;", "'")
    assert 'data-testid="next-things-to-do"' in html
    card = html.split('data-testid="next-things-to-do"')[1]
    return card.split('class="govuk-summary-card__content"')[1].split("</ul>")[0]


def test_the_phone_due_back_is_among_the_next_things_with_its_due_time(officer, supervisor, case, signed_in):
    plan_create(actor=officer, case=case)
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case, reference="EV/1")

    listed = _next_things(signed_in(officer), case)

    assert "Give the victim's phone back (exhibit EV/1)" in listed
    assert "by 4 March 2026 at 1:30pm (due in 23 hours" in listed
    assert f"/evidence/exhibits/{phone.pk}/" in listed
    # The phone comes before the plan's lines: it is due sooner.
    assert listed.index("victim's phone back") < listed.index("due tomorrow")


def test_an_overdue_phone_says_so(officer, supervisor, case, signed_in):
    plan_create(actor=officer, case=case)
    victim_phone(officer=officer, supervisor=supervisor, case=case, taken_at=clock.now() - dt.timedelta(hours=30))

    listed = _next_things(signed_in(supervisor), case)

    assert "Overdue" in listed
    assert "(overdue by 6 hours" in listed


def test_a_phone_given_back_leaves_the_next_things(officer, supervisor, case, signed_in):
    plan_create(actor=officer, case=case)
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case)
    exhibit_return(
        actor=officer,
        exhibit=phone,
        returned_to="The victim, in person",
        returned_at=clock.now(),
        authority="Extraction complete",
        handled_by="DC Example 1234",
    )

    assert "phone back" not in _next_things(signed_in(officer), case)


def test_a_phone_given_back_points_to_the_request_still_open(officer, supervisor, case, signed_in):
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case)
    client = signed_in(officer)
    page = f"/cases/{case.pk}/evidence/exhibits/{phone.pk}/"
    assert 'data-testid="request-still-open"' not in client.get(page).content.decode()  # still held

    exhibit_return(
        actor=officer,
        exhibit=phone,
        returned_to="The victim, in person",
        returned_at=clock.now(),
        authority="Extraction complete",
        handled_by="DC Example 1234",
    )

    html = client.get(page).content.decode()
    assert 'data-testid="request-still-open"' in html
    assert f"/evidence/requests/{phone.request_id}/complete/" in html
