"""A guard on work: count the pairs each blocking rule would score before any is scored.

A rule that joins on a value shared by many records (10,000 records with the same date of birth and
postcode, a placeholder "UNKNOWN" name) makes pairs by the square of that number; scoring them can
take hours and more memory than the machine has. The counts here come from one GROUP BY per rule over
the standardised records (the size of every block before Splink's join), so they cost seconds at a
million records, and the run stops before training or predicting when a rule would explode.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from bluestone.linkage.model import Rule

DEFAULT_MAX_COMPARISONS = 50_000_000
"""Default ceiling on the pairs one linkage run scores (`Limits.max_comparisons`)."""


@dataclass(frozen=True)
class Limits:
    """Limits on the work of one run.

    Attributes:
        max_comparisons: the most record pairs the blocking rules may generate, each rule and all together;
            over it the run stops with `TooManyComparisons` before scoring anything.
        memory_limit: DuckDB's memory limit (e.g. "4GB"); None leaves DuckDB's default (80% of memory).
    """

    max_comparisons: int = DEFAULT_MAX_COMPARISONS
    memory_limit: str | None = None

    def __post_init__(self) -> None:
        if self.max_comparisons < 1:
            raise ValueError(f"max_comparisons must be at least 1 (got {self.max_comparisons}).")


@dataclass(frozen=True)
class RuleCount:
    rule: Rule
    pairs: int
    largest: tuple[tuple[str, int], ...]
    """The values with the largest blocks: the value (keys joined by " / ") and how many records share it
    (for a rule across columns, such as swapped names, the larger of the two sides)."""


class TooManyComparisons(ValueError):  # noqa: N818 (reads as the error it is)
    """The blocking rules would generate more pairs than the limit allows."""


def _blocks_sql(keys: tuple[str, ...]) -> str:
    """The blocks of a rule's keys: the keys as columns `k0`, `k1`, ... and `n`, the records sharing them."""
    columns = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    present = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    return f"SELECT {columns}, count(*) AS n FROM records WHERE {present} GROUP BY ALL"  # noqa: S608 (rule SQL)


def _label_sql(keys: tuple[str, ...], table: str) -> str:
    return " || ' / ' || ".join(f"CAST({table}.k{i} AS VARCHAR)" for i in range(len(keys)))


def count_rule(con: duckdb.DuckDBPyConnection, rule: Rule, *, top: int = 3) -> RuleCount:
    """The pairs `rule` generates over the registered table `records` (before Splink's own filters).

    Blocks are grouped on the keys as they are; only the largest few are labelled (keys joined by " / ").
    """
    if rule.right is None:
        label = _label_sql(rule.keys, "b")
        sql = f"""
            WITH blocks AS ({_blocks_sql(rule.keys)}),
                 biggest AS (SELECT {label} AS k, n FROM blocks AS b ORDER BY n DESC, k LIMIT {top})
            SELECT (SELECT CAST(coalesce(sum(n * (n - 1) / 2), 0) AS HUGEINT) FROM blocks),
                   (SELECT list(struct_pack(k := k, n := n) ORDER BY n DESC, k) FROM biggest)
        """  # noqa: S608 (the rule's own SQL expressions, never values)
    else:
        right = rule.right
        on = " AND ".join(f"l.k{i} = r.k{i}" for i in range(len(rule.keys)))
        label = _label_sql(rule.keys, "l")
        sql = f"""
            WITH l AS ({_blocks_sql(rule.keys)}), r AS ({_blocks_sql(right)}),
                 joined AS (SELECT {label} AS k, l.n AS ln, r.n AS rn FROM l JOIN r ON {on}),
                 biggest AS (SELECT k, greatest(ln, rn) AS n, ln * rn AS p FROM joined ORDER BY p DESC, k LIMIT {top})
            SELECT (SELECT CAST(coalesce(sum(ln * rn) / 2, 0) AS HUGEINT) FROM joined),
                   (SELECT list(struct_pack(k := k, n := n) ORDER BY p DESC, k) FROM biggest)
        """  # noqa: S608 (the rule's own SQL expressions, never values)
    pairs, largest = con.sql(sql).fetchall()[0]
    return RuleCount(rule=rule, pairs=int(pairs), largest=tuple((str(b["k"]), int(b["n"])) for b in largest or []))


def count_rules(table: pa.Table, rules: list[Rule]) -> list[RuleCount]:
    """Pairs per rule over standardised records (`standardise`'s output)."""
    con = duckdb.connect()
    try:
        con.register("records", table)
        return [count_rule(con, rule) for rule in rules]
    finally:
        con.close()


def check_comparisons(table: pa.Table, rules: list[Rule], limits: Limits) -> list[RuleCount]:
    """Count the pairs each rule generates and stop when a rule, or all together, exceed the limit.

    Raises:
        TooManyComparisons: naming the rule with most pairs and the values that make its largest blocks.
    """
    return check_counts(count_rules(table, rules), limits)


def check_counts(counts: list[RuleCount], limits: Limits) -> list[RuleCount]:
    """`check_comparisons` on counts already made (`count_rules`), e.g. with the training's rules in the same pass.

    Raises:
        TooManyComparisons: as `check_comparisons`.
    """
    total = sum(c.pairs for c in counts)
    if total > limits.max_comparisons:
        worst = max(counts, key=lambda c: c.pairs)
        values = "; ".join(f"{value!r} shared by {n:,} records" for value, n in worst.largest)
        raise TooManyComparisons(
            f"The blocking rules would score {total:,} record pairs, over the limit of {limits.max_comparisons:,}. "
            f"Most come from the rule '{worst.rule.meaning}' ({worst.rule.describe()}): {worst.pairs:,} pairs, "
            f"the largest blocks being {values}. Check those values (a placeholder such as 'unknown' or a "
            "default date should be left blank), or raise the limit if the machine can take it."
        )
    return counts
