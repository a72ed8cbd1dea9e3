"""Writes of the suspects app: linkage runs, review decisions, identities and disruption tactics.

Every write that touches personal data records its s.62 entry in the same transaction. Linkage
results join person records, so storing them is a `combination`.

One module per part of the work, each name importable from here: `linkage_runs` (a full run of
the force's suspect records), `scoring` (new records scored against the last run's model),
`priorities` (the repeat-suspect register's scores), `review` (link decisions, merge and split) and
`tactics` (disruption tactics). `_common` holds what several of them share.
"""

from __future__ import annotations

from bluestone.suspects.services._common import current_threshold, pair, run_threshold
from bluestone.suspects.services.linkage_runs import (
    MIN_RECORDS,
    STAGE_TEXT,
    Progress,
    cluster_policy,
    last_model,
    linkage_limits,
    linkage_run_full,
    linkage_run_queue,
)
from bluestone.suspects.services.priorities import identity_priorities_refresh, identity_reports, priorities_refresh_all
from bluestone.suspects.services.review import identity_merge, identity_split, link_decision_record
from bluestone.suspects.services.scoring import linkage_score_people
from bluestone.suspects.services.tactics import overdue_tactics, tactic_record_create, tactic_record_update

__all__ = [
    "MIN_RECORDS",
    "STAGE_TEXT",
    "Progress",
    "cluster_policy",
    "current_threshold",
    "identity_merge",
    "identity_priorities_refresh",
    "identity_reports",
    "identity_split",
    "last_model",
    "link_decision_record",
    "linkage_limits",
    "linkage_run_full",
    "linkage_run_queue",
    "linkage_score_people",
    "overdue_tactics",
    "pair",
    "priorities_refresh_all",
    "run_threshold",
    "tactic_record_create",
    "tactic_record_update",
]
