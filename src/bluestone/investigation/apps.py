"""Investigation plans, lines of enquiry, supervisory reviews, suspect events, bail, CPS and outcome decisions."""

from django.apps import AppConfig


class InvestigationConfig(AppConfig):
    name = "bluestone.investigation"
    label = "investigation"
    verbose_name = "Investigation"

    def ready(self) -> None:
        from bluestone.cases.events import CaseCreated  # noqa: PLC0415
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
        from bluestone.investigation import rules  # noqa: F401, PLC0415  (registers the rules)
        from bluestone.investigation.demo import seed_demo  # noqa: PLC0415
        from bluestone.investigation.handlers import on_case_created  # noqa: PLC0415
        from bluestone.investigation.loading import INVESTIGATION_TABLES  # noqa: PLC0415
        from bluestone.investigation.selectors import case_panel_context, work_items  # noqa: PLC0415
        from bluestone.investigation.services import investigation_closure_items  # noqa: PLC0415

        subscribe(CaseCreated, on_case_created)
        register_case_tab(CaseTab(label="Investigation plan", url_name="investigation:plan", order=30))
        register_case_tab(CaseTab(label="Timeline", url_name="investigation:timeline", order=70))
        register_case_tab(CaseTab(label="Outcome", url_name="investigation:outcome", order=80))
        register_case_panel(
            CasePanel(template="investigation/includes/case_panel.html", context=case_panel_context, order=10)
        )
        register_work_source(WorkSource(name="investigation", items=work_items))
        register_closure_check(ClosureCheck(name="investigation", items=investigation_closure_items))
        register_demo_step(DemoStep(name="investigation plans", order=30, run=seed_demo))
        register_optional_tables(INVESTIGATION_TABLES)
