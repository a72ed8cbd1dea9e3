"""A request in the evidence register names the line of enquiry in the investigation plan it serves;
the line's page lists its requests and starts one already linked."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bluestone.evidence.models import DigitalRequest, NoticeElement
from bluestone.evidence.services import digital_request_create
from bluestone.investigation.models import LineGroup
from bluestone.investigation.services import line_add, plan_create
from tests.dates import date_boxes
from tests.evidence.factories import device_details
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone_line(officer, case):
    plan = plan_create(actor=officer, case=case)
    return line_add(
        actor=officer,
        plan=plan,
        group=LineGroup.VICTIM_ACCOUNT,
        title="Messages on the victim's phone from the night",
        intrusive_kind="phone_download",
    )


def test_the_lines_page_starts_a_request_linked_to_it(signed_in, officer, case, victim, phone_line):
    client = signed_in(officer)
    line_url = reverse("investigation:line", kwargs={"pk": case.pk, "line": phone_line.pk})
    page = client.get(line_url).content.decode()
    assert "Requests in the evidence register" in page
    start = reverse("evidence:request-new-kind", kwargs={"pk": case.pk, "kind": "victim_device"})
    assert f'href="{start}?line={phone_line.pk}"' in page
    assert "Record a request for a suspect&#x27;s device" not in page  # a victim-focused line: the victim's device

    form = client.get(f"{start}?line={phone_line.pk}").content.decode()
    assert f'<option value="{phone_line.pk}" selected>' in form
    assert "Messages on the victim&#x27;s phone from the night</textarea>" in form

    elements = list(NoticeElement.objects.filter(kind="victim_device").values_list("code", flat=True))
    client.post(
        start,
        {
            "plan_line": str(phone_line.pk),
            "person": str(victim.pk),
            "line_of_enquiry": "Messages on the victim's phone from the night",
            "purpose": "The suspect's messages after the night",
            "necessity_rationale": "Only that thread is needed",
            "less_intrusive_options": "Screenshots cannot show deletions",
            "data_categories": ["messages"],
            **date_boxes("scope_from", "1/2/2026"),
            **date_boxes("scope_to", "28/2/2026"),
            "selective_extraction": "on",
            "given_voluntarily": "on",
            "victim_agreed": "yes",
            **date_boxes("notice_given_on", "3/3/2026"),
            "notice_elements": elements,
        },
    )
    entry = DigitalRequest.objects.get()
    assert entry.plan_line == phone_line

    detail = client.get(reverse("evidence:request", kwargs={"pk": case.pk, "request_id": entry.pk})).content.decode()
    assert f'href="{line_url}"' in detail
    page = client.get(line_url).content.decode()
    listed = page.split('data-testid="line-panel-links"')[1].split("</ul>")[0]
    assert "Data from a victim&#x27;s device" in listed
    assert "awaiting authorisation" in listed


def test_a_suspect_line_offers_the_suspect_requests(signed_in, officer, case):
    plan = plan_create(actor=officer, case=case)
    line = plan.lines.filter(group=LineGroup.SUSPECT).first()
    assert line is not None
    page = (
        signed_in(officer).get(reverse("investigation:line", kwargs={"pk": case.pk, "line": line.pk})).content.decode()
    )
    assert "Record a request for a suspect&#x27;s device" in page
    assert "Record a digital enquiry about a suspect" in page
    assert "Record the request for the victim&#x27;s device" not in page


def test_a_line_of_another_cases_plan_is_refused_and_nothing_is_written(officer, case, team, victim):
    elsewhere = CaseFactory.create(team=team)
    other_line = plan_create(actor=officer, case=elsewhere).lines.first()
    details = device_details(person=victim, plan_line=other_line)
    with pytest.raises(ValidationError) as refused:
        digital_request_create(actor=officer, case=case, details=details)
    assert refused.value.message_dict["plan_line"] == ["Choose a line of enquiry from this case's investigation plan."]
    assert not DigitalRequest.objects.exists()


def test_a_line_taken_out_of_the_plan_leaves_the_request_with_its_words(officer, case, victim, phone_line):
    details = device_details(person=victim, plan_line=phone_line)
    entry = digital_request_create(actor=officer, case=case, details=details)
    phone_line.delete()
    entry.refresh_from_db()
    assert entry.plan_line is None
    assert entry.line_of_enquiry  # the reasonable line of enquiry, in words, stays


def test_a_request_from_a_victim_focused_line_starts_from_what_the_line_holds(signed_in, officer, case, victim):
    from bluestone.investigation.services import victim_action_add  # noqa: PLC0415

    plan = plan_create(actor=officer, case=case)
    line = victim_action_add(
        actor=officer,
        plan=plan,
        title="Messages on the victim's phone from the night",
        intrusive_kind="phone_download",
        rationale="The messages on the night are a reasonable line of enquiry for consent.",
        less_intrusive_considered="Screenshots the victim offered were cropped.",
        victim_agreed=True,
        victim_notice_given=False,
    )
    start = reverse("evidence:request-new-kind", kwargs={"pk": case.pk, "kind": "victim_device"})

    form = signed_in(officer).get(f"{start}?line={line.pk}").content.decode()

    assert "The messages on the night are a reasonable line of enquiry for consent." in form
    assert "Screenshots the victim offered were cropped." in form
    agreed = re.search(r'<input[^>]*name="victim_agreed"[^>]*value="yes"[^>]*>', form)
    assert agreed is not None
    assert "checked" in agreed.group(0)
