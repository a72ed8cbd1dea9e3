"""The Victims' Code engine, victim profiles, contact plans and log, withdrawal, notifications."""

from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "bluestone.victims"
    label = "victims"
    verbose_name = "Victims"

    def ready(self) -> None:
        # Everything the app hangs on the case core, in one visible place (ADR 6).
        from bluestone.cases.events import (  # noqa: PLC0415
            CaseCreated,
            CaseEventRecorded,
            PeopleChanged,
            StaffApprovalAsked,
            StaffApprovalDecided,
            SupervisoryReviewDue,
            VictimToldOfOutcome,
        )
        from bluestone.cases.extensions import (  # noqa: PLC0415
            CasePanel,
            CaseTab,
            ClosureCheck,
            WorkSource,
            register_case_panel,
            register_case_tab,
            register_closure_check,
            register_work_source,
        )
        from bluestone.cases.loading.optional import register_optional_tables  # noqa: PLC0415
        from bluestone.core.demo import DemoStep, register_demo_step  # noqa: PLC0415
        from bluestone.core.events import subscribe  # noqa: PLC0415
        from bluestone.victims import handlers, rules, tasks  # noqa: F401, PLC0415
        from bluestone.victims.demo import victims_demo  # noqa: PLC0415
        from bluestone.victims.loading import VICTIM_TABLES  # noqa: PLC0415
        from bluestone.victims.notifications import OutboxMessageQueued  # noqa: PLC0415
        from bluestone.victims.selectors import case_panel_context, work_items  # noqa: PLC0415
        from bluestone.victims.services import victim_closure_items  # noqa: PLC0415

        subscribe(CaseCreated, handlers.on_case_created)
        subscribe(PeopleChanged, handlers.on_people_changed)
        subscribe(CaseEventRecorded, handlers.on_case_event_recorded)
        subscribe(VictimToldOfOutcome, handlers.on_victim_told_of_outcome)
        subscribe(CaseEventRecorded, handlers.on_case_allocated_email)
        subscribe(StaffApprovalAsked, handlers.on_approval_asked_email)
        subscribe(StaffApprovalDecided, handlers.on_approval_decided_email)
        subscribe(SupervisoryReviewDue, handlers.on_review_due_email)
        subscribe(OutboxMessageQueued, tasks.outbox_send_after_commit)
        register_case_tab(CaseTab(label="Victim", url_name="victims:case-victim", order=40))
        register_case_panel(
            CasePanel(template="victims/includes/case_panel.html", context=case_panel_context, order=20)
        )
        register_work_source(WorkSource(name="victims", items=work_items))
        register_closure_check(ClosureCheck(name="victims", items=victim_closure_items))
        register_demo_step(DemoStep(name="victims", order=40, run=victims_demo))
        register_optional_tables(VICTIM_TABLES)
