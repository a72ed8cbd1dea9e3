"""Who may see the measures, as `rules` predicates (registered as rules and permissions)."""

from __future__ import annotations

import rules

from bluestone.cases.rules import is_analyst, is_supervisor

# Counts and rates only, no personal data: supervisors for their oversight, analysts for performance.
view_measures = is_supervisor | is_analyst

# Pseudonymised case-level extracts (no victim identifiers in them): analysts, whose work they are for
# (SERVICE-MAP); a supervisor reads the same figures on the Measures page and asks an analyst for data.
export_analytics = is_analyst

RULES = {"insights.view_measures": view_measures, "insights.export_analytics": export_analytics}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
