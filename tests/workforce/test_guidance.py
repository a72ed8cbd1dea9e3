"""Guidance at the point of work: shown where the work happens, versioned with who changed what, searchable."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.core.guidance import guidance_for
from bluestone.workforce.guidance import guidance_search, guidance_version_save
from bluestone.workforce.models import GuidanceVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHIPPED = {"bail", "digital-request", "outcome-16", "review"}


@pytest.fixture
def admin():
    return UserFactory.create(username="ada", first_name="Ada", last_name="Admin", role=Role.ADMINISTRATOR, team=None)


def _note(key: str) -> dict[str, Any]:
    """The note `guidance_for` gives a page; every note these tests ask for exists."""
    note = guidance_for(key)
    assert note is not None, key
    return note


def test_the_shipped_notes_are_loaded_as_version_one():
    assert set(GuidanceVersion.objects.values_list("note__key", flat=True)) == SHIPPED
    assert set(GuidanceVersion.objects.values_list("number", flat=True)) == {1}
    bail = guidance_for("bail")
    assert bail is not None
    assert bail["title"] == "Pre-charge bail: time limits and who may extend it"
    assert "superintendent to 9 months" in bail["body"]
    assert guidance_for("no-such-note") is None


def test_an_edit_adds_a_version_and_keeps_the_old_one_with_who_and_why(admin, signed_in):
    before = guidance_for("bail")
    assert before is not None
    version = guidance_version_save(
        actor=admin,
        key="bail",
        title=before["title"],
        body=before["body"] + "\n\nCheck the custody record for the start date.",
        change_summary="Added where the start date comes from",
    )
    assert version.number == 2
    assert [(v.number, v.changed_by) for v in GuidanceVersion.objects.filter(note__key="bail")] == [
        (2, admin),
        (1, None),
    ]
    assert _note("bail")["body"].endswith("Check the custody record for the start date.")
    entry = AuditEvent.objects.get(object_type="workforce.GuidanceVersion", object_id=str(version.pk))
    assert (entry.action, entry.actor, entry.details) == (AuditAction.ALTERATION, admin, {"key": "bail", "version": 2})

    page = signed_in(UserFactory.create(role=Role.INVESTIGATOR)).get(reverse("guidance:note", kwargs={"key": "bail"}))
    text = page.content.decode()
    assert "Ada Admin" in text
    assert "Added where the start date comes from" in text
    assert "Shipped with Bluestone" in text
    old = page.client.get(reverse("guidance:version", kwargs={"key": "bail", "number": 1})).content.decode()
    assert "This is an earlier version. The current one is version 2." in old
    assert "Check the custody record" not in old


def test_an_edit_that_changes_nothing_is_refused(admin):
    current = _note("review")
    with pytest.raises(ValidationError) as refused:
        guidance_version_save(
            actor=admin, key="review", title=current["title"], body=current["body"], change_summary="Nothing"
        )
    assert "Nothing has changed" in str(refused.value)


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.AUDITOR])
def test_only_administrators_edit(role):
    with pytest.raises(PermissionDenied):
        guidance_version_save(
            actor=UserFactory.create(role=role), key="bail", title="T", body="B", change_summary="Why"
        )


def test_search_finds_notes_by_every_word_in_the_current_text(admin):
    reader = UserFactory.create(role=Role.INVESTIGATOR)
    assert [row.note.key for row in guidance_search(user=reader, query="magistrates")] == ["bail"]
    assert [row.note.key for row in guidance_search(user=reader, query="victim notice")] == ["digital-request"]
    assert {row.note.key for row in guidance_search(user=reader, query="")} == SHIPPED
    assert guidance_search(user=reader, query="magistrates counselling") == []
    current = _note("outcome-16")
    guidance_version_save(
        actor=admin,
        key="outcome-16",
        title=current["title"],
        body=current["body"] + " Evidence-led prosecution: talk to the CPS early.",
        change_summary="CPS advice",
    )
    assert [row.note.key for row in guidance_search(user=reader, query="CPS early")] == ["outcome-16"]


def test_an_administrator_edits_through_the_page(admin, signed_in):
    client = signed_in(admin)
    response = client.post(
        reverse("guidance:edit", kwargs={"key": "review"}),
        {
            "title": "Supervisory reviews: the prompts",
            "body": "Ask about the suspect first.",
            "change_summary": "Shorter",
        },
    )
    assert response.status_code == 302
    assert _note("review")["title"] == "Supervisory reviews: the prompts"
    response = client.post(
        reverse("guidance:new"), {"key": "disclosure", "title": "Disclosure", "body": "Text", "change_summary": "New"}
    )
    assert response.status_code == 302
    assert _note("disclosure")["version"] == 1


def test_the_pages_where_the_work_happens_show_their_note(signed_in, supervisor, officer):
    from tests.factories import CaseFactory  # noqa: PLC0415

    case = CaseFactory.create(team=officer.team, officer=officer)
    client = signed_in(supervisor)
    for url, key, title in (
        (f"/cases/{case.pk}/plan/review/", "review", "Supervisory reviews: the model"),
        (f"/cases/{case.pk}/outcome/", "outcome-16", "Outcome 16: what must be true"),
        (f"/cases/{case.pk}/evidence/requests/new/victim_device/", "digital-request", "proportionality and notice"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert f'data-testid="guidance-{key}"' in page, url
        assert title in page, url
        assert f'href="/guidance/{key}/"' in page, url
