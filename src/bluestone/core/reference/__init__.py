"""Reference data shipped with Bluestone and loaded by migrations (a force may edit it afterwards)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent


def _cell(value: str) -> Any:
    if value in {"true", "false"}:
        return value == "true"
    return value


def read_reference(name: str) -> list[dict[str, Any]]:
    """Rows of the reference CSV file `name` (without extension), with booleans parsed."""
    with (REFERENCE_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return [{key: _cell(value) for key, value in row.items()} for row in csv.DictReader(handle)]


def _known(model: Any, row: dict[str, Any]) -> dict[str, Any]:
    """The row's columns that the model has: a migration's historical model may predate a column the
    file gained later (a later migration adds the column and loads it)."""
    fields = {field.name for field in model._meta.get_fields()}
    return {key: value for key, value in row.items() if key in fields}


def reference_data_upsert(*, offence_class: Any, outcome_type: Any) -> None:
    """Create or update the shipped offence classes and outcome types.

    Takes the model classes so that a migration can pass its historical models.
    """
    for row in read_reference("offence_classes"):
        offence_class.objects.update_or_create(code=row.pop("code"), defaults=_known(offence_class, row))
    for row in read_reference("outcome_types"):
        outcome_type.objects.update_or_create(code=int(row.pop("code")), defaults=_known(outcome_type, row))
