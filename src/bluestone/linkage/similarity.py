"""Jaro-Winkler similarity exactly as DuckDB computes it, for engines that must agree with DuckDB.

Splink's Spark similarity jar computes Jaro-Winkler its own way: on FEBRL names and addresses, 1 pair
in 26 scores differently from DuckDB's `jaro_winkler_similarity`, and about 1 in 1,300 lands on the
other side of a comparison level's threshold (0.8, 0.88, 0.9, 0.92), so the same model would link
differently on Spark. This is DuckDB's definition, written out so that Spark runs it as a UDF:

- the strings are compared as UTF-8 bytes (DuckDB's strings), so lengths count bytes;
- two bytes match when equal and at most max(len)/2 - 1 apart, each byte of the first string taken
  at most once, the earliest free one first, scanning the second string from its start;
- Jaro = (m/len1 + m/len2 + (m - t)/m) / 3, with t half the matched bytes out of order (rounded down),
  0 when nothing matches or either string is empty;
- Winkler: above 0.7, add p * 0.1 * (1 - Jaro) for a common prefix of p <= 4 bytes, rounded once (the
  DuckDB build contracts it into one fused multiply-add, so it is computed exactly here and rounded).

The module needs only the standard library: Spark ships the function to its executors by value, so
they need neither Bluestone nor any package beyond what PySpark's UDFs use (see `spark.py`).
"""

from __future__ import annotations

_BOOST_ABOVE = 0.7
_PREFIX_WEIGHT = 0.1
_MAX_PREFIX = 4


def jaro_winkler(first: str, second: str) -> float:
    """DuckDB's `jaro_winkler_similarity(first, second)`, to the last bit.

    Example:
        >>> jaro_winkler("martha", "marhta")
        0.9611111111111111
    """
    left, right = first.encode("utf-8"), second.encode("utf-8")
    left_len, right_len = len(left), len(right)
    if not left_len or not right_len:
        return 0.0
    prefix = 0
    for a, b in zip(left[:_MAX_PREFIX], right[:_MAX_PREFIX], strict=False):
        if a != b:
            break
        prefix += 1
    similarity = _jaro(left, right)
    if similarity > _BOOST_ABOVE:
        # sim + boost * (1 - sim) in exact integer arithmetic (floats are binary fractions), rounded once
        # by Python's correctly rounded integer division.
        num, den = similarity.as_integer_ratio()
        boost_num, boost_den = (prefix * _PREFIX_WEIGHT).as_integer_ratio()
        similarity = (num * boost_den + boost_num * (den - num)) / (den * boost_den)
    return similarity


def _jaro(left: bytes, right: bytes) -> float:
    left_len, right_len = len(left), len(right)
    if left_len == 1 and right_len == 1:
        return float(left == right)
    window = max(left_len, right_len) // 2 - 1
    taken = bytearray(left_len)
    right_matched = []
    for j, byte in enumerate(right):
        low, high = max(0, j - window), min(left_len, j + window + 1)
        i = left.find(byte, low, high) if low < high else -1
        while i != -1 and taken[i]:
            i = left.find(byte, i + 1, high)
        if i != -1:
            taken[i] = 1
            right_matched.append(byte)
    common = len(right_matched)
    if not common:
        return 0.0
    left_matched = [left[i] for i in range(left_len) if taken[i]]
    transpositions = sum(a != b for a, b in zip(left_matched, right_matched, strict=True)) // 2
    return (common / left_len + common / right_len + (common - transpositions) / common) / 3.0
