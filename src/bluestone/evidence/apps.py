from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "bluestone.evidence"
    label = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        # The rules register themselves on import; the tab, the work queues and the demo step here.
        from bluestone.cases.extensions import (  # noqa: PLC0415
            CaseTab,
            ClosureCheck,
            WorkSource,
            register_case_tab,
            register_closure_check,
            register_work_source,
        )
        from bluestone.cases.loading.optional import register_optional_tables  # noqa: PLC0415
        from bluestone.core.demo import DemoStep, register_demo_step  # noqa: PLC0415
        from bluestone.evidence import rules  # noqa: F401, PLC0415
        from bluestone.evidence.demo import evidence_demo  # noqa: PLC0415
        from bluestone.evidence.lines import evidence_line_panel  # noqa: PLC0415
        from bluestone.evidence.loading import EVIDENCE_TABLES  # noqa: PLC0415
        from bluestone.evidence.services import evidence_closure_items  # noqa: PLC0415
        from bluestone.evidence.services.plan_lines import (  # noqa: PLC0415
            line_decision_problems,
            requests_decide_with_line,
            requests_decided_with_lines,
        )
        from bluestone.evidence.work import evidence_next_things, evidence_work_items  # noqa: PLC0415
        from bluestone.investigation.extensions import (  # noqa: PLC0415
            LineDecisionFollower,
            register_line_decision_follower,
            register_line_panel,
            register_next_things,
        )

        register_case_tab(CaseTab(label="Evidence", url_name="evidence:case-evidence", order=50))
        register_work_source(WorkSource(name="evidence", items=evidence_work_items))
        register_demo_step(DemoStep(name="evidence", order=50, run=evidence_demo))
        register_optional_tables(EVIDENCE_TABLES)
        register_line_panel("evidence", evidence_line_panel)
        register_next_things("evidence", evidence_next_things)
        register_line_decision_follower(
            LineDecisionFollower(
                name="evidence",
                problems=line_decision_problems,
                follow=requests_decide_with_line,
                decides_too=requests_decided_with_lines,
            )
        )
        register_closure_check(ClosureCheck(name="evidence", items=evidence_closure_items))
