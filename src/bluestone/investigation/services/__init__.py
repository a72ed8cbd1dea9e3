"""Writes for an investigation. Each one checks its rules first and raises ValidationError (a plain
English message per field) or PermissionDenied without writing anything; otherwise it writes its
rows, the case timeline entry (through cases.entry.case_event_record, which other apps hear) and its
s.62 log entry in one transaction.

One module per part of the work, each name importable from here: `plans` (the plan, its lines of
enquiry and the plan templates), `victim_actions` (the approval gate for victim-focused actions),
`reviews` (supervisory reviews and when they fall due), `suspect_events` (arrests, interviews, charges),
`bail` (pre-charge bail and who may extend it), `cps` and `outcomes` (proposal, sign-off, reopening).
`_common` holds what several of them share.
"""

from __future__ import annotations

from bluestone.investigation.custody import BAIL_INITIAL_MONTHS, BAIL_LIMITS, add_months, bail_authority_needed
from bluestone.investigation.services._common import ENDS_BAIL, moment_of
from bluestone.investigation.services.bail import (
    GRANTABLE_LEVELS,
    INSPECTOR_RANKS,
    bail_authority_grant,
    bail_authority_revoke,
    bail_conditions_change,
    bail_end,
    bail_extend,
    bail_extension_request,
    bail_record,
    user_bail_authority,
)
from bluestone.investigation.services.closure import (
    closure_blockers,
    closure_checklist,
    investigation_closure_items,
)
from bluestone.investigation.services.cps import CPS_EVENT_KINDS, cps_step_record
from bluestone.investigation.services.outcomes import (
    case_reopen,
    has_named_suspect,
    outcome_conflicts_for,
    outcome_propose,
    outcome_sign_off,
    outcome_victim_told_record,
    victim_withdrawal_on_record,
)
from bluestone.investigation.services.plans import (
    default_template,
    line_add,
    line_update,
    plan_create,
    template_line_save,
)
from bluestone.investigation.services.reviews import (
    ANSWERS,
    REVIEW_INITIAL_HOURS,
    REVIEW_INTERVAL_DAYS,
    REVIEW_PROMPTS,
    review_initial_delay,
    review_interval,
    review_record,
    reviews_due_announce,
)
from bluestone.investigation.services.suspect_events import (
    SUSPECT_EVENT_KINDS,
    charge_candidates,
    charge_record,
    suspect_event_record,
)
from bluestone.investigation.services.victim_actions import (
    MIN_RATIONALE,
    NEEDS_AGREEMENT,
    NEEDS_NOTICE,
    LineDecision,
    reads_as_victim_focused,
    victim_action_add,
    victim_action_decide,
    victim_action_decision_record,
    victim_action_request_approval,
)

__all__ = [
    "ANSWERS",
    "BAIL_INITIAL_MONTHS",
    "BAIL_LIMITS",
    "CPS_EVENT_KINDS",
    "ENDS_BAIL",
    "GRANTABLE_LEVELS",
    "INSPECTOR_RANKS",
    "MIN_RATIONALE",
    "NEEDS_AGREEMENT",
    "NEEDS_NOTICE",
    "REVIEW_INITIAL_HOURS",
    "REVIEW_INTERVAL_DAYS",
    "REVIEW_PROMPTS",
    "SUSPECT_EVENT_KINDS",
    "LineDecision",
    "add_months",
    "bail_authority_grant",
    "bail_authority_needed",
    "bail_authority_revoke",
    "bail_conditions_change",
    "bail_end",
    "bail_extend",
    "bail_extension_request",
    "bail_record",
    "case_reopen",
    "charge_candidates",
    "charge_record",
    "closure_blockers",
    "closure_checklist",
    "cps_step_record",
    "default_template",
    "has_named_suspect",
    "investigation_closure_items",
    "line_add",
    "line_update",
    "moment_of",
    "outcome_conflicts_for",
    "outcome_propose",
    "outcome_sign_off",
    "outcome_victim_told_record",
    "plan_create",
    "reads_as_victim_focused",
    "review_initial_delay",
    "review_interval",
    "review_record",
    "reviews_due_announce",
    "suspect_event_record",
    "template_line_save",
    "user_bail_authority",
    "victim_action_add",
    "victim_action_decide",
    "victim_action_decision_record",
    "victim_action_request_approval",
    "victim_withdrawal_on_record",
]
