"""The public portal: report online, follow my case. Its own URLs and sign-in; no staff session."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bluestone.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from bluestone.cases.extensions import WorkSource, register_work_source  # noqa: PLC0415
        from bluestone.core.demo import DemoStep, register_demo_step  # noqa: PLC0415
        from bluestone.portal.demo import demo_online_reports, demo_support_services  # noqa: PLC0415
        from bluestone.portal.triage.selectors import triage_work_items  # noqa: PLC0415

        register_work_source(WorkSource(name="portal: online reports", items=triage_work_items))
        register_demo_step(DemoStep(name="online reports waiting for triage", order=60, run=demo_online_reports))
        register_demo_step(DemoStep(name="support services on the portal", order=61, run=demo_support_services))
