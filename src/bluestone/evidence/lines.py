"""The evidence register on a line of enquiry's page: the requests that serve the line, and the
request to start from it (already linked, its title as the line of enquiry)."""

from __future__ import annotations

from typing import Any

import rules
from django.urls import reverse

from bluestone.core.text import in_sentence
from bluestone.evidence.models import DigitalRequest, RequestKind
from bluestone.evidence.services.plan_lines import REQUEST_KIND_FOR_ACTION
from bluestone.investigation.extensions import LineLink, LinePanel
from bluestone.investigation.models import ApprovalState, LineGroup

_ACTION_TEXT: dict[str, str] = {
    RequestKind.VICTIM_DEVICE: "Record the request for the victim's device",
    RequestKind.VICTIM_THIRD_PARTY: "Record the request for third-party material",
    RequestKind.SUSPECT_DEVICE: "Record a request for a suspect's device",
    RequestKind.SUSPECT_ENQUIRY: "Record a digital enquiry about a suspect",
}


def _kinds_for(line: Any) -> list[str]:
    if line.intrusive_kind and line.approval_state == ApprovalState.REFUSED:
        return []  # no request can serve a refused action until it is asked for again
    if line.intrusive_kind:
        kind = REQUEST_KIND_FOR_ACTION.get(line.intrusive_kind)
        return [kind] if kind else []
    if line.group == LineGroup.SUSPECT:
        return [RequestKind.SUSPECT_DEVICE, RequestKind.SUSPECT_ENQUIRY]
    return []


def evidence_line_panel(user: Any, line: Any) -> LinePanel | None:
    case = line.plan.case
    if not rules.test_rule("evidence.view_evidence", user, case):
        return None
    requests = DigitalRequest.objects.filter(plan_line=line).order_by("created_at")
    links = [
        LineLink(
            text=entry.get_kind_display(),
            url=reverse("evidence:request", kwargs={"pk": case.pk, "request_id": entry.pk}),
            detail=in_sentence(entry.get_status_display()),
        )
        for entry in requests
    ]
    actions = []
    if rules.test_rule("evidence.record_evidence", user, case):
        for kind in _kinds_for(line):
            url = reverse("evidence:request-new-kind", kwargs={"pk": case.pk, "kind": kind})
            actions.append(LineLink(text=_ACTION_TEXT[kind], url=f"{url}?line={line.pk}"))
    refused = bool(line.intrusive_kind) and line.approval_state == ApprovalState.REFUSED
    if not links and not actions and not refused:
        return None
    empty = "No request in the evidence register serves this line yet."
    if refused:
        empty = "A supervisor refused this action, so no request can serve it. Ask for approval again first."
    return LinePanel(title="Requests in the evidence register", links=links, actions=actions, empty=empty)
