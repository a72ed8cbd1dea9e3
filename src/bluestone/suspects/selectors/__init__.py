"""Reads of the suspects app. Each takes the acting user and decides, per case, what of a record
they may see: in full (a case they may open), a suspect's name and date of birth (an analyst with a
case need on that case), or a pseudonym (every other analyst or supervisor). Restricted cases never
appear, except to the people named on them, on the case page itself.

One module per page or part, each name importable from here: `records` (how a record is shown to
a user), `register` (the repeat-suspect register and the linkage runs), `identities` (one identity),
`explanations` (match explanations and the pairs to review), `case_panel` (the suspect's other
reports, on the case page), `disparity` and `tactics` (tactics due for review). `_common` holds
what several of them share.
"""

from __future__ import annotations

from bluestone.suspects.selectors._common import identity_label
from bluestone.suspects.selectors.case_panel import OtherReport, SuspectElsewhere, case_other_reports
from bluestone.suspects.selectors.disparity import DisparityReport, DisparityRow, disparity_report
from bluestone.suspects.selectors.explanations import (
    COMPARISON_LABELS,
    REVIEW_BAND_FLOOR,
    PairReview,
    pair_review_get,
    review_queue,
    visible_values,
    weight_rows,
)
from bluestone.suspects.selectors.identities import ExplainedPair, IdentityDetail, TimelineEntry, identity_get
from bluestone.suspects.selectors.records import RecordView, records_for
from bluestone.suspects.selectors.register import (
    PRIORITY_BANDS,
    TACTICS_ANY,
    TACTICS_NONE,
    RegisterFilters,
    RegisterRow,
    latest_runs,
    priority_parts,
    register_identities,
    register_rows,
)
from bluestone.suspects.selectors.tactics import overdue_tactic_records, tactic_owners

__all__ = [
    "COMPARISON_LABELS",
    "PRIORITY_BANDS",
    "REVIEW_BAND_FLOOR",
    "TACTICS_ANY",
    "TACTICS_NONE",
    "DisparityReport",
    "DisparityRow",
    "ExplainedPair",
    "IdentityDetail",
    "OtherReport",
    "PairReview",
    "RecordView",
    "RegisterFilters",
    "RegisterRow",
    "SuspectElsewhere",
    "TimelineEntry",
    "case_other_reports",
    "disparity_report",
    "identity_get",
    "identity_label",
    "latest_runs",
    "overdue_tactic_records",
    "pair_review_get",
    "priority_parts",
    "records_for",
    "register_identities",
    "register_rows",
    "review_queue",
    "tactic_owners",
    "visible_values",
    "weight_rows",
]
