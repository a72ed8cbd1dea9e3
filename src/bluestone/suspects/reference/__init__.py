"""Reference data of the suspects app (disruption tactics), loaded by a migration; a force may edit it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent


def tactic_types_upsert(*, tactic_type: Any) -> int:
    """Create or update the shipped tactic types; takes the model so a migration can pass its own."""
    with (REFERENCE_DIR / "tactic_types.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        tactic_type.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "description": row["description"], "active": row["active"] == "true"},
        )
    return len(rows)
