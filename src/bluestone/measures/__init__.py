"""The performance measures of the operating model, defined once.

Framework-free (no Django): each measure is a function of plain records, so the command line, the
dashboard and a notebook compute the same figures the same way. `docs/measures.md` gives each
measure's question, formula, numerator, denominator, period basis and caveats.

The extract-based measures (`extract_measures`) take the cases, outcomes and timeline events of an
extract; the app-record measures (`record_measures`) take what the pillar apps record (Victims'
Code duties, contacts, plans, exhibits, the repeat-suspect register). Both return `Row`s, one per
measure and breakdown, written by `write_csv` and `write_json`.
"""

from __future__ import annotations

from bluestone.measures.extract_based import (
    FUNNEL_STAGES,
    CaseRecord,
    EventRecord,
    OutcomeRecord,
    extract_measures,
)
from bluestone.measures.output import CSV_COLUMNS, write_csv, write_json
from bluestone.measures.period import Period, PeriodError
from bluestone.measures.rows import Row, percentile, share
from bluestone.measures.trends import TREND_MEASURES, monthly_trends

__all__ = [
    "CSV_COLUMNS",
    "FUNNEL_STAGES",
    "TREND_MEASURES",
    "CaseRecord",
    "EventRecord",
    "OutcomeRecord",
    "Period",
    "PeriodError",
    "Row",
    "extract_measures",
    "monthly_trends",
    "percentile",
    "share",
    "write_csv",
    "write_json",
]
