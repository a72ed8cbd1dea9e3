"""Measures as CSV (`measure,breakdown,numerator,denominator,value`) or JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from bluestone.measures.disclosure import SUPPRESSED, is_small, is_suppressed
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


def _count(count: int | None, *, suppress: bool) -> str:
    return SUPPRESSED if suppress and is_small(count) else _cell(count)


def write_csv(rows: Iterable[Row], out: TextIO, *, suppress_small: bool = False) -> None:
    """Write one line per row: empty cells for what a row has not; shares as fractions to 6 places.

    With `suppress_small`, a count from 1 to 4 is written `<5` and the value of its row is left empty.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        hidden = suppress_small and is_suppressed(row)
        writer.writerow(
            [
                row.measure,
                row.breakdown,
                _count(row.numerator, suppress=suppress_small),
                _count(row.denominator, suppress=suppress_small),
                "" if hidden else _cell(row.value),
            ]
        )


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
