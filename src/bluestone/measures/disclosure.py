"""Small-number suppression: what may be shown of a row outside the analysts' own work.

A count from 1 to 4 could point at one victim or one suspect, so it is not shown; and neither is a
row's value when one of its counts is hidden (a share of 3 in 100 gives the 3 away). Zero is shown:
it identifies nobody.
"""

from __future__ import annotations

from bluestone.measures.rows import Row

SMALL = 5
SUPPRESSED = "<5"


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < SMALL


def is_suppressed(row: Row) -> bool:
    """Whether any count in the row is small (its numerator, or the count it is taken over)."""
    return is_small(row.numerator) or is_small(row.denominator)
