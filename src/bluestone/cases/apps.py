from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bluestone.cases"
    label = "cases"
    verbose_name = "Cases (POLE)"

    def ready(self) -> None:
        from bluestone.audit.case_references import CaseReferences, register_case_references  # noqa: PLC0415
        from bluestone.cases import references, work  # noqa: PLC0415 (models are ready only now)
        from bluestone.cases.events import PeopleChanged  # noqa: PLC0415
        from bluestone.cases.extensions import WorkSource, register_work_source  # noqa: PLC0415
        from bluestone.cases.search_index import on_people_changed  # noqa: PLC0415
        from bluestone.core.events import subscribe  # noqa: PLC0415

        register_work_source(WorkSource(name="cases", items=work.work_items))
        # The auditor's pages name cases by crime reference; `audit` sits below us and cannot ask.
        register_case_references(
            CaseReferences(by_ids=references.case_references_by_id, matching=references.cases_matching_reference)
        )
        # The search index follows the people on a case, in the transaction that changed them.
        subscribe(PeopleChanged, on_people_changed)
