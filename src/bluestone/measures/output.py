"""Measures as CSV (`measure,breakdown,numerator,denominator,value`) or JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from bluestone.measures.rows import Row

CSV_COLUMNS = ("measure", "breakdown", "numerator", "denominator", "value")
DECIMALS = 6


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def _cell(value: float | None) -> str:
    if value is None:
        return ""
    rounded = round(float(value), DECIMALS)
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def write_csv(rows: Iterable[Row], out: TextIO) -> None:
    """Write one line per row: empty cells for what a row has not; shares as fractions to 6 places."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row.measure, row.breakdown, _cell(row.numerator), _cell(row.denominator), _cell(row.value)])


def write_json(rows: Iterable[Row], out: TextIO) -> None:
    """Write a JSON list of objects with the CSV's keys; null where the CSV has an empty cell."""
    json.dump(
        [
            {
                "measure": row.measure,
                "breakdown": row.breakdown,
                "numerator": row.numerator,
                "denominator": row.denominator,
                "value": _number(row.value),
            }
            for row in rows
        ],
        out,
        indent=2,
    )
    out.write("\n")
