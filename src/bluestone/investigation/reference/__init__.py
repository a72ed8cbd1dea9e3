"""The default investigation plan template, shipped as a CSV and loaded by a data migration. An
administrator edits it afterwards on the Templates page; reloading only adds lines that are missing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent
DEFAULT_TEMPLATE_CODE = "default"


def read_default_plan() -> list[dict[str, Any]]:
    with (REFERENCE_DIR / "default_plan.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["order"] = int(row["order"])
        row["due_days"] = int(row["due_days"])
    return rows


def default_template_load(*, plan_template: Any, plan_template_line: Any) -> None:
    """Create the default template and any of its shipped lines that are missing (a migration passes
    its historical models). Lines an administrator has edited are left as they are."""
    template, _ = plan_template.objects.get_or_create(
        code=DEFAULT_TEMPLATE_CODE,
        defaults={
            "name": "Rape and serious sexual offences",
            "description": "Suspect-focused, context-led lines of enquiry for every new RASSO case.",
            "is_default": True,
        },
    )
    for row in read_default_plan():
        plan_template_line.objects.get_or_create(template=template, code=row.pop("code"), defaults=row)
