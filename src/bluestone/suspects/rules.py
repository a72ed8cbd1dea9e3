"""Who may use the suspects app's pages, as `rules` predicates (registered as rules and permissions)."""

from __future__ import annotations

import rules

from bluestone.cases.rules import is_analyst, is_supervisor

# The register, identity pages and link review: analysts, whose work this is, and supervisors, who
# act on repeat suspects in their teams' cases. What each sees of a record is decided per case.
view_register = is_analyst | is_supervisor
review_links = is_analyst | is_supervisor
manage_tactics = is_analyst | is_supervisor
run_linkage = is_analyst
# Navigation: the analyst's pages (SERVICE-MAP.md); supervisors reach them from their work queue.
in_analyst_navigation = is_analyst

RULES = {
    "suspects.view_register": view_register,
    "suspects.review_links": review_links,
    "suspects.manage_tactics": manage_tactics,
    "suspects.run_linkage": run_linkage,
    "suspects.in_analyst_navigation": in_analyst_navigation,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
