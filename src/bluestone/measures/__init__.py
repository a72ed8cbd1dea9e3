"""The performance measures of the operating model, defined once.

Framework-free (no Django): each measure is a function of plain records or of counts of them, so
the command line, the dashboard and a notebook compute the same figures the same way.
`docs/measures.md` gives each measure's question, formula, numerator, denominator, period basis and
caveats.

The extract-based measures (`extract_measures`) take the cases, outcomes and timeline events of an
extract, or the counts a database makes of them (`count_measures`, `count_trends`); the app-record
measures (`record_measures`) take what the pillar apps record (Victims' Code duties, contacts,
plans, exhibits, the repeat-suspect register). Both return `Row`s, one per
measure and breakdown, written by `write_csv` and `write_json`.
"""

from __future__ import annotations

from bluestone.measures.extract_based import (
    FUNNEL_STAGES,
    CaseRecord,
    CohortCount,
    DecidedCount,
    EventRecord,
    OutcomeRecord,
    count_measures,
    extract_counts,
    extract_measures,
)
from bluestone.measures.output import CSV_COLUMNS, write_csv, write_json
from bluestone.measures.period import Period, PeriodError
from bluestone.measures.rows import Row, percentile, percentile_of_counts, share
from bluestone.measures.trends import TREND_MEASURES, count_trends, monthly_trends

__all__ = [
    "CSV_COLUMNS",
    "FUNNEL_STAGES",
    "TREND_MEASURES",
    "CaseRecord",
    "CohortCount",
    "DecidedCount",
    "EventRecord",
    "OutcomeRecord",
    "Period",
    "PeriodError",
    "Row",
    "count_measures",
    "count_trends",
    "extract_counts",
    "extract_measures",
    "monthly_trends",
    "percentile",
    "percentile_of_counts",
    "share",
    "write_csv",
    "write_json",
]
