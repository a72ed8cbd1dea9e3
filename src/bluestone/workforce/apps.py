from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    # Officers as people who do the work: training, caseload, wellbeing.
    name = "bluestone.workforce"
    label = "workforce"
    verbose_name = "Workforce"

    def ready(self) -> None:
        # The rules register themselves on import; the allocation advice, work queues and demo step here.
        from bluestone.cases.extensions import (  # noqa: PLC0415
            WorkSource,
            register_allocation_adviser,
            register_work_source,
        )
        from bluestone.core.demo import DemoStep, register_demo_step  # noqa: PLC0415
        from bluestone.core.guidance import register_guidance_source  # noqa: PLC0415
        from bluestone.workforce import rules  # noqa: F401, PLC0415
        from bluestone.workforce.demo import workforce_demo  # noqa: PLC0415
        from bluestone.workforce.guidance import guidance_source  # noqa: PLC0415
        from bluestone.workforce.handlers import allocation_advice, workforce_work_items  # noqa: PLC0415

        register_allocation_adviser(allocation_advice)
        register_guidance_source(guidance_source)
        register_work_source(WorkSource(name="workforce", items=workforce_work_items))
        register_demo_step(DemoStep(name="workforce", order=90, run=workforce_demo))
