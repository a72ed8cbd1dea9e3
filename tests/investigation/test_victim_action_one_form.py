"""A victim-focused action is added and sent for approval in one form; every line is classed by kind,
and a line whose words read as a victim-focused action is questioned."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bluestone.audit.models import AuditEvent
from bluestone.investigation.models import ApprovalState, IntrusiveKind, LineGroup, LineOfEnquiry
from bluestone.investigation.services import plan_create, reads_as_victim_focused, victim_action_add

pytestmark = pytest.mark.django_db

RATIONALE = "Messages between the victim and the suspect on the night are a reasonable line of enquiry."


@pytest.fixture
def plan(case, investigator):
    return plan_create(actor=investigator, case=case)


def _add(plan, actor, **overrides):
    arguments = {
        "actor": actor,
        "plan": plan,
        "title": "Messages from the night",
        "intrusive_kind": IntrusiveKind.PHONE_DOWNLOAD,
        "rationale": RATIONALE,
        "less_intrusive_considered": "Screenshots the victim offered.",
        "victim_agreed": True,
        "victim_notice_given": False,
    }
    return victim_action_add(**(arguments | overrides))


def test_one_step_adds_the_action_and_asks_for_approval(plan, investigator):
    line = _add(plan, investigator)

    line.refresh_from_db()
    assert line.group == LineGroup.VICTIM_ACCOUNT
    assert line.approval_state == ApprovalState.REQUESTED
    assert line.rationale == RATIONALE
    assert line.victim_agreed is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rationale": "Too short"}, "rationale"),
        ({"less_intrusive_considered": ""}, "less_intrusive_considered"),
        ({"victim_agreed": False}, "victim_agreed"),
        ({"intrusive_kind": IntrusiveKind.COUNSELLING_RECORDS, "victim_notice_given": False}, "victim_notice_given"),
        ({"intrusive_kind": "ordinary"}, "intrusive_kind"),
    ],
)
def test_without_what_the_approval_needs_nothing_is_written(plan, investigator, overrides, field):
    lines_before = LineOfEnquiry.objects.count()
    audit_before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        _add(plan, investigator, **overrides)

    assert field in refused.value.message_dict
    assert LineOfEnquiry.objects.count() == lines_before
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("Download the victim's phone", True),
        ("Examine the complainant\u2019s laptop", True),
        ("Ask the GP for her medical records", True),
        ("Counselling notes from the centre", True),
        ("Download the suspect's phone", False),
        ("CCTV from the taxi rank", False),
        ("House-to-house enquiries on Elm Street", False),
    ],
)
def test_the_words_of_a_line_are_read_for_a_victim_focused_action(text, reads):
    assert reads_as_victim_focused(text) is reads


def _post(client, case, **data):
    form = {
        "group": "context",
        "title": "Download the victim's phone",
        "guidance": "",
        "intrusive_kind": "none",
        "rationale": "",
        "less_intrusive_considered": "",
    } | data
    return client.post(f"/cases/{case.pk}/plan/lines/new/", form)


def test_an_unclassed_line_is_refused_and_one_that_reads_as_victim_focused_must_be_confirmed(
    plan, case, investigator, signed_in
):
    client = signed_in(investigator)

    unclassed = _post(client, case, intrusive_kind="")
    assert unclassed.status_code == 200
    assert "Choose what kind of line this is" in unclassed.content.decode()

    questioned = _post(client, case)
    assert questioned.status_code == 200
    assert "This reads as a victim-focused action" in questioned.content.decode()
    assert not LineOfEnquiry.objects.filter(title="Download the victim's phone").exists()

    confirmed = _post(client, case, not_victim_focused="on")
    assert confirmed.status_code == 302
    line = LineOfEnquiry.objects.get(title="Download the victim's phone")
    assert line.approval_state == ApprovalState.NOT_NEEDED


def test_the_form_adds_a_victim_focused_action_already_waiting_for_approval(plan, case, investigator, signed_in):
    response = _post(
        signed_in(investigator),
        case,
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
        rationale=RATIONALE,
        less_intrusive_considered="Screenshots the victim offered.",
        victim_agreed="on",
    )

    assert response.status_code == 302
    line = LineOfEnquiry.objects.get(title="Download the victim's phone")
    assert line.approval_state == ApprovalState.REQUESTED
    assert line.group == LineGroup.VICTIM_ACCOUNT


def test_a_victim_focused_action_needs_no_group_chosen_but_an_ordinary_line_does(plan, case, investigator, signed_in):
    client = signed_in(investigator)

    ordinary = _post(client, case, group="", title="CCTV from the taxi rank", intrusive_kind="none")
    assert ordinary.status_code == 200
    assert "Choose the group the line of enquiry belongs to" in ordinary.content.decode()
    assert not LineOfEnquiry.objects.filter(title="CCTV from the taxi rank").exists()

    action = _post(
        client,
        case,
        group="",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
        rationale=RATIONALE,
        less_intrusive_considered="Screenshots the victim offered.",
        victim_agreed="on",
    )
    assert action.status_code == 302
    assert LineOfEnquiry.objects.get(title="Download the victim's phone").group == LineGroup.VICTIM_ACCOUNT
