"""The extract-based measures computed straight from the Parquet extract with DuckDB SQL.

Written apart from `bluestone.measures` and importing nothing of it, from the definitions in
docs/measures.md, so that a test comparing the two checks the definitions rather than repeating them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

REFERENCE = Path(__file__).resolve().parents[2] / "src" / "bluestone" / "core" / "reference"

Figures = dict[tuple[str, str], tuple[float | None, float | None, float | None]]

SCOPE_SQL = """
CREATE TEMP TABLE scoped AS
SELECT c.case_id,
       CAST(c.recorded_at AT TIME ZONE 'Europe/London' AS DATE) AS recorded_day,
       g."group" AS offence_group
FROM read_parquet($cases) c JOIN read_csv($offences, header = true) g ON g.code = c.offence_code
WHERE ($team IS NULL OR c.team_id = $team)
  AND ($relationship IS NULL OR c.case_id IN (
        SELECT case_id FROM read_parquet($involvements)
        WHERE role = 'suspect' AND relationship_to_victim = $relationship))
  AND ($age_from IS NULL OR c.case_id IN (
        SELECT i.case_id
        FROM read_parquet($involvements) i
        JOIN read_parquet($persons) p USING (person_record_id)
        JOIN read_parquet($cases) v USING (case_id)
        WHERE i.role = 'victim' AND date_sub('year', p.date_of_birth, v.offence_from) BETWEEN $age_from AND $age_to))
  AND (NOT $age_unknown OR c.case_id IN (
        SELECT i.case_id FROM read_parquet($involvements) i JOIN read_parquet($persons) p USING (person_record_id)
        WHERE i.role = 'victim' AND p.date_of_birth IS NULL));

CREATE TEMP TABLE cohort AS
SELECT * FROM scoped WHERE recorded_day BETWEEN $start AND $finish;

CREATE TEMP TABLE decided AS
SELECT o.case_id, o.outcome_code, o.decided_on, o.decided_on - s.recorded_day AS days
FROM read_parquet($outcomes) o JOIN scoped s USING (case_id)
WHERE o.decided_on BETWEEN $start AND $finish;

CREATE TEMP TABLE charged_by_as_of AS
SELECT case_id FROM read_parquet($outcomes) WHERE outcome_code = 1 AND decided_on <= $as_of;

CREATE TEMP TABLE suspect_cases AS
SELECT DISTINCT case_id FROM read_parquet($involvements) WHERE role = 'suspect';

CREATE TEMP TABLE cohort_events AS
SELECT DISTINCT e.case_id, e.kind FROM read_parquet($events) e JOIN cohort USING (case_id)
WHERE CAST(e.occurred_at AT TIME ZONE 'Europe/London' AS DATE) <= $as_of;
"""


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def extract_figures(
    folder: Path,
    *,
    start: dt.date,
    finish: dt.date,
    as_of: dt.date,
    team: str | None = None,
    relationship: str | None = None,
    victim_age: tuple[int, int] | None = None,
    victim_age_unknown: bool = False,
) -> Figures:
    """(measure, breakdown) -> (numerator, denominator, value), as the CLI's CSV gives them, with the
    month-by-month trends (`charge_rate_by_month` and the two medians) besides. `victim_age` is the
    youngest and oldest age, in whole years on the first day of the offence, of a victim on the case."""
    db = duckdb.connect()
    params = {
        "cases": str(folder / "cases.parquet"),
        "outcomes": str(folder / "outcomes.parquet"),
        "events": str(folder / "events.parquet"),
        "involvements": str(folder / "involvements.parquet"),
        "offences": str(REFERENCE / "offence_classes.csv"),
        "persons": str(folder / "persons.parquet"),
        "team": team,
        "relationship": relationship,
        "age_from": victim_age[0] if victim_age else None,
        "age_to": victim_age[1] if victim_age else None,
        "age_unknown": victim_age_unknown,
        "start": start,
        "finish": finish,
        "as_of": as_of,
    }
    for statement in SCOPE_SQL.split(";"):
        if statement.strip():
            used = {k: v for k, v in params.items() if f"${k}" in statement}
            db.execute(statement, used)

    def one(sql: str) -> int:
        row = db.execute(sql).fetchone()
        assert row is not None
        return int(row[0])

    figures: Figures = {}
    cohort = one("SELECT count(*) FROM cohort")
    figures["recorded", ""] = (cohort, None, cohort)
    for group, n in db.execute(
        'SELECT g.grp, count(c.case_id) FROM (SELECT DISTINCT "group" AS grp FROM read_csv($f, header = true)) g '
        "LEFT JOIN cohort c ON c.offence_group = g.grp GROUP BY g.grp",
        {"f": params["offences"]},
    ).fetchall():
        figures["recorded", group] = (n, None, n)
    for month, n in db.execute(
        "SELECT strftime(m, '%Y-%m'), (SELECT count(*) FROM cohort WHERE date_trunc('month', recorded_day) = m) "
        "FROM generate_series(date_trunc('month', $s::DATE), $f::DATE, INTERVAL 1 MONTH) t(m)",
        {"s": start, "f": finish},
    ).fetchall():
        figures["recorded", month] = (n, None, n)

    outcomes = one("SELECT count(*) FROM decided")
    figures["outcomes", ""] = (outcomes, None, outcomes)
    for code, n in db.execute("SELECT outcome_code, count(*) FROM decided GROUP BY 1").fetchall():
        figures["outcomes", str(code)] = (n, outcomes, _share(n, outcomes))
    charged = one("SELECT count(*) FROM decided WHERE outcome_code = 1")
    figures["charge_rate_period", ""] = (charged, outcomes, _share(charged, outcomes))
    withdrawn = one("SELECT count(*) FROM decided WHERE outcome_code = 16")
    figures["outcome_16_share", ""] = (withdrawn, outcomes, _share(withdrawn, outcomes))
    cohort_charged = one("SELECT count(*) FROM cohort WHERE case_id IN (SELECT case_id FROM charged_by_as_of)")
    figures["charge_rate_cohort", ""] = (cohort_charged, cohort, _share(cohort_charged, cohort))

    for measure, where in (("days_to_charge", "WHERE outcome_code = 1"), ("days_to_outcome", "")):
        row = db.execute(
            f"SELECT count(*), quantile_cont(days, 0.5), quantile_cont(days, 0.9) FROM decided {where}"  # noqa: S608
        ).fetchone()
        assert row is not None
        figures[measure, "median"] = (None, row[0], row[1])
        figures[measure, "p90"] = (None, row[0], row[2])

    stages = {
        "recorded": "SELECT count(*) FROM cohort",
        "suspect_identified": "SELECT count(*) FROM cohort WHERE case_id IN (SELECT case_id FROM suspect_cases)",
        "arrested_or_interviewed": "SELECT count(DISTINCT case_id) FROM cohort_events "
        "WHERE kind IN ('suspect_arrested', 'suspect_interviewed')",
        "file_to_cps": "SELECT count(*) FROM cohort_events WHERE kind = 'file_to_cps'",
        "charged": "SELECT count(*) FROM cohort WHERE case_id IN (SELECT case_id FROM charged_by_as_of)",
    }
    for stage, sql in stages.items():
        n = one(sql)
        figures["funnel", stage] = (n, cohort, _share(n, cohort))
    withdrew = one("SELECT count(*) FROM cohort_events WHERE kind = 'victim_withdrew'")
    figures["victim_withdrew", ""] = (withdrew, cohort, _share(withdrew, cohort))

    for month, charges, decided, charge_days, any_days in db.execute(
        "SELECT strftime(m, '%Y-%m'), count(d.case_id) FILTER (WHERE d.outcome_code = 1), count(d.case_id), "
        "quantile_cont(d.days, 0.5) FILTER (WHERE d.outcome_code = 1), quantile_cont(d.days, 0.5) "
        "FROM generate_series(date_trunc('month', $s::DATE), $f::DATE, INTERVAL 1 MONTH) t(m) "
        "LEFT JOIN decided d ON date_trunc('month', d.decided_on) = m GROUP BY m ORDER BY m",
        {"s": start, "f": finish},
    ).fetchall():
        figures["charge_rate_by_month", month] = (charges, decided, _share(charges, decided))
        figures["days_to_charge_by_month", month] = (None, charges, charge_days)
        figures["days_to_outcome_by_month", month] = (None, decided, any_days)
    return figures
