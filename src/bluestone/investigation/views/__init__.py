"""Pages of the investigation: the plan, timeline and outcome tabs of a case, the forms behind them,
the work queues and the plan templates. Each view loads the case through the case page's own
need-to-know (cases.views.case_tab_load), validates its form and calls one service or selector.

One module per part of the work, as in `services`, each view importable from here (the URLs name
them as `views.plan`): `plans` (the plan tab and its lines), `victim_actions` (asking for and
deciding approval), `reviews`, `suspect_events` (events and charges), `bail` (with the
administrators' bail authority page), `cps_steps`, `outcomes` (the timeline and outcome tabs and the
decisions), `queues` (the work queues) and `plan_templates` (administrators). `_common` holds the
page helpers they share.
"""

from __future__ import annotations

from bluestone.investigation.views._common import VICTIM_DUTY
from bluestone.investigation.views.bail import (
    bail_authority,
    bail_authority_revoke,
    bail_conditions,
    bail_end,
    bail_extend,
    bail_new,
)
from bluestone.investigation.views.cps_steps import cps
from bluestone.investigation.views.outcomes import (
    outcome,
    outcome_propose,
    outcome_reopen,
    outcome_sign_off,
    outcome_victim_told,
    timeline,
)
from bluestone.investigation.views.plan_templates import template_line, template_line_new, templates
from bluestone.investigation.views.plans import line, line_add, plan, plan_create
from bluestone.investigation.views.queues import approvals, my_work, reviews_due, team_work
from bluestone.investigation.views.reviews import review
from bluestone.investigation.views.suspect_events import charge, suspect_event
from bluestone.investigation.views.victim_actions import line_approval, line_decide

__all__ = [
    "VICTIM_DUTY",
    "approvals",
    "bail_authority",
    "bail_authority_revoke",
    "bail_conditions",
    "bail_end",
    "bail_extend",
    "bail_new",
    "charge",
    "cps",
    "line",
    "line_add",
    "line_approval",
    "line_decide",
    "my_work",
    "outcome",
    "outcome_propose",
    "outcome_reopen",
    "outcome_sign_off",
    "outcome_victim_told",
    "plan",
    "plan_create",
    "review",
    "reviews_due",
    "suspect_event",
    "team_work",
    "template_line",
    "template_line_new",
    "templates",
    "timeline",
]
