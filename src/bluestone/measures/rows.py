"""One row of output, and the arithmetic every measure shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One measure over one breakdown.

    `breakdown` is empty for the total. A share has a numerator, a denominator and their fraction as
    `value` (None when the denominator is 0); a count has only a numerator, repeated as `value`; a
    timeliness figure has the count as denominator and the days as `value`.
    """

    measure: str
    breakdown: str
    numerator: int | None
    denominator: int | None
    value: float | None


def share(numerator: int, denominator: int) -> float | None:
    """`numerator / denominator`, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def ratio_row(measure: str, breakdown: str, numerator: int, denominator: int) -> Row:
    return Row(measure, breakdown, numerator, denominator, share(numerator, denominator))


def count_row(measure: str, breakdown: str, count: int) -> Row:
    return Row(measure, breakdown, count, None, float(count))


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks, as numpy's default.

    >>> percentile([1, 2, 3, 4], 50)
    2.5
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def percentile_of_counts(counts: Mapping[int, int], q: float) -> float | None:
    """`percentile` of the values that `counts` holds, each value as many times as its count (a
    histogram: days -> how many cases took them). The same ranks and interpolation, so the same
    figure as `percentile` of the values listed one by one.

    >>> percentile_of_counts({1: 1, 2: 1, 3: 1, 4: 1}, 50)
    2.5
    """
    ordered = sorted((value, count) for value, count in counts.items() if count > 0)
    n = sum(count for _, count in ordered)
    if not n:
        return None
    position = (n - 1) * q / 100
    below = int(position)
    above = min(below + 1, n - 1)
    return _at_rank(ordered, below) + (_at_rank(ordered, above) - _at_rank(ordered, below)) * (position - below)


def _at_rank(ordered: Sequence[tuple[int, int]], rank: int) -> float:
    """The value at 0-based `rank` of the sorted values a sorted histogram holds."""
    seen = 0
    for value, count in ordered:
        seen += count
        if rank < seen:
            return float(value)
    raise IndexError(rank)
