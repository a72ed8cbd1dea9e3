from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url_name: str
    rule: str


# Pages in the order SERVICE-MAP.md lists them. An item is shown only to a user its rule lets in,
# and only once its page exists: add a row here when a page lands, never before. A supervisor's
# queues (approvals, reviews due, requests to authorise, Victims' Code duties) are not menu items:
# Team work, their landing page, counts each and links to its list.
NAVIGATION = [
    NavigationItem("My work", "investigation:my-work", "investigation.view_my_work"),
    NavigationItem("Team work", "investigation:team-work", "investigation.view_team_work"),
    NavigationItem("My cases", "cases:mine", "cases.view_my_cases"),
    NavigationItem("Team cases", "cases:team", "cases.view_team_cases"),
    NavigationItem("Your training and wellbeing", "workforce:mine", "workforce.in_investigator_navigation"),
    NavigationItem("Workforce", "workforce:team", "workforce.view_workforce"),
    NavigationItem("Repeat suspects", "suspects:register", "suspects.in_analyst_navigation"),
    NavigationItem("Link review", "suspects:review", "suspects.in_analyst_navigation"),
    NavigationItem("Cases", "cases:analysis-list", "cases.view_case_analysis"),
    NavigationItem("Measures", "insights:measures", "insights.view_measures"),
    NavigationItem("Exports", "insights:exports", "insights.export_analytics"),
    NavigationItem("Case-file reviews", "filereviews:samples", "filereviews.review_case_files"),
    NavigationItem("Break-glass access", "cases:team-break-glass", "cases.view_team_break_glass"),
    NavigationItem("Online reports", "triage:reports", "portal.view_online_reports"),
    NavigationItem("Callbacks due", "triage:callbacks", "portal.view_online_reports"),
    NavigationItem("Sign-in locks", "triage:portal-locks", "portal.view_online_reports"),
    NavigationItem("Access log", "audit:access-log", "audit.view_access_log"),
    NavigationItem("Sign-ins and lockouts", "audit:sign-ins", "audit.view_sign_ins"),
    NavigationItem("Break-glass log", "cases:break-glass-log", "cases.view_break_glass_log"),
    NavigationItem("Verify log", "audit:verify", "audit.verify_log"),
    NavigationItem("Wellbeing referrals", "workforce:occupational-health", "workforce.view_occupational_health"),
    NavigationItem("SARC register", "evidence:sarc-register", "evidence.view_sarc_register"),
    NavigationItem("Users and teams", "administration:users", "administration.manage_users"),
    NavigationItem("Support services", "administration:support-services", "administration.manage_users"),
    NavigationItem("Guidance", "guidance:search", "workforce.edit_guidance"),
    NavigationItem("Reference data", "workforce:courses", "workforce.manage_courses"),
    NavigationItem("Templates", "investigation:templates", "investigation.edit_templates"),
    NavigationItem("Review template", "filereviews:template", "filereviews.edit_review_template"),
    NavigationItem("Bail authority", "investigation:bail-authority", "investigation.manage_bail_authority"),
]


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name and, for a signed-in user, the navigation they may use."""
    context: dict[str, Any] = {"service_name": settings.SERVICE_NAME, "navigation": []}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    context["navigation"] = [
        {"label": item.label, "href": reverse(item.url_name), "current": item.url_name == current}
        for item in NAVIGATION
        if rules.test_rule(item.rule, user)
    ]
    return context
