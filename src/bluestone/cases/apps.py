from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bluestone.cases"
    label = "cases"
    verbose_name = "Cases (POLE)"

    def ready(self) -> None:
        from bluestone.cases import work  # noqa: PLC0415 (models are ready only now)
        from bluestone.cases.extensions import WorkSource, register_work_source  # noqa: PLC0415

        register_work_source(WorkSource(name="cases", items=work.work_items))
