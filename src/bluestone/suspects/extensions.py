"""What the suspects app adds to other apps' pages and commands: the case summary panel ("this
suspect appears in N other reports"), overdue tactic reviews in the work queues, and the demo steps.
Registered in SuspectsConfig.ready()."""

from __future__ import annotations

import time
from typing import Any

from django.urls import reverse

from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.extensions import (
    MY_WORK,
    TEAM_WORK,
    CasePanel,
    WorkItem,
    WorkSource,
    register_case_panel,
    register_work_source,
)
from bluestone.core import clock
from bluestone.core.demo import DemoStep, register_demo_step


def case_panel_context(user: Any, case: Any) -> dict[str, Any] | None:
    """The panel for the case summary, or None when no suspect on the case is linked to another report.

    The case page has already checked that the user may see this case. What the panel shows of the
    other reports is logged as a consultation of the case, naming the reports shown or mentioned.
    """
    from bluestone.suspects.selectors import case_other_reports  # noqa: PLC0415 (apps load first)

    suspects = case_other_reports(user=user, case=case)
    if not suspects:
        return None
    audit_record(
        actor=user,
        action=AuditAction.CONSULTATION,
        case=case,
        object_type="suspects.Identity",
        object_id=suspects[0].identity_id,
        details={
            "shown_on": "case summary: suspect appears in other reports",
            "identities": [str(s.identity_id) for s in suspects],
            "reports_opened": sum(1 for s in suspects for r in s.reports if r.visible),
            "reports_mentioned": sum(1 for s in suspects for r in s.reports if not r.visible),
        },
    )
    return {"suspects": suspects}


def overdue_tactic_items(user: Any, queue: str) -> list[WorkItem]:
    """Tactic reviews past their date: the owner's own in My work, a supervisor's team's in Team work."""
    from bluestone.suspects.selectors import identity_label, overdue_tactic_records  # noqa: PLC0415

    if queue == TEAM_WORK and getattr(user, "role", "") == "supervisor":
        records = overdue_tactic_records(user=user, scope="team")
    elif queue == MY_WORK:
        records = overdue_tactic_records(user=user, scope="mine")
    else:
        return []
    today = clock.today()
    return [
        WorkItem(
            queue=queue,
            kind="Disruption tactic review overdue",
            description=f"{record.tactic.name} for {identity_label(record.identity_id)}, owned by "
            f"{record.owner.get_full_name() or record.owner.username}",
            url=reverse("suspects:tactic-update", kwargs={"pk": record.pk}),
            due_at=record.review_on,
            overdue=record.review_on is not None and record.review_on < today,
        )
        for record in records[:50]
    ]


def demo_linkage(*, users: dict[str, Any], stdout: Any) -> list[str]:
    """A full linkage run over the demo force, so the register and the case pages show repeat suspects."""
    from bluestone.suspects.services import linkage_run_full  # noqa: PLC0415

    started = time.perf_counter()
    run = linkage_run_full(actor=None, progress=lambda text: stdout.write(f"  linkage: {text}"))
    lines = [
        f"Linkage: {run.records:,} suspect records, {run.identities:,} people in two or more records "
        f"({time.perf_counter() - started:.0f}s, model trained on these records)."
    ]
    investigator = users.get("investigator")
    if investigator is not None:
        lines += _demo_repeat_suspect_case(investigator)
    return lines


def _demo_repeat_suspect_case(investigator: Any) -> list[str]:
    """The demo investigator's case whose suspect appears in the most other reports, to open first."""
    from bluestone.cases.models import Involvement, Role  # noqa: PLC0415
    from bluestone.suspects.models import IdentityMember  # noqa: PLC0415

    best: tuple[int, str] | None = None
    suspects = Involvement.objects.filter(role=Role.SUSPECT, case__officer__user=investigator).values_list(
        "person_id", "case__crime_reference"
    )
    reference_of = dict(suspects)
    members = IdentityMember.objects.filter(person_id__in=list(reference_of)).values_list(
        "person_id", "identity__report_count"
    )
    for person_id, reports in members:
        candidate = (reports - 1, reference_of[person_id])
        # Most other reports first; on a tie the smaller crime reference, so the demo prints the same case.
        if best is None or (candidate[0], best[1]) > (best[0], candidate[1]):
            best = candidate
    if best is None or best[0] < 1:
        return []
    return [f"  Repeat suspects: the suspect on case {best[1]} appears in {best[0]} other report(s)."]


def register() -> None:
    from bluestone.suspects.demo import demo_tactics  # noqa: PLC0415 (models load with the apps)

    register_case_panel(CasePanel(template="suspects/includes/case_panel.html", context=case_panel_context, order=10))
    register_work_source(WorkSource(name="suspects.tactic_reviews", items=overdue_tactic_items))
    register_demo_step(DemoStep(name="repeat suspects (linkage)", order=50, run=demo_linkage))
    register_demo_step(DemoStep(name="disruption tactics", order=55, run=demo_tactics))
