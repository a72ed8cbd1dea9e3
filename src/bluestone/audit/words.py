"""What an access-log entry was about, in words an auditor reads without knowing the code.

An entry stores the kind of record as a model label ("cases.PersonRecord") and its id. The auditor's
pages show the record's name instead ("Person record", "Victims' Code duty") and, from the entry's
details, what was seen or changed ("shown on the case page", "fields changed: safe contact"). The
name comes from the model's verbose name through Django's app registry, so `audit` imports no app
above it; a few names read better to an auditor than the model's and are given here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.text import capfirst

# Where a model's own name would not tell an auditor what the record is.
_NAMES = {
    "accounts.user": "User account",
    "audit.auditevent": "Access log",
    "cases.case": "Case",
    "cases.caseaccess": "Access to a case",
    "cases.extract": "Data load",
    "cases.workitem": "Work item",
    "cases.personrecord": "Person record",
    "cases.caseevent": "Timeline entry",
    "evidence.digitalrequest": "Request for digital material",
    "evidence.sarcsample": "SARC self-referral samples",
    "insights.analyticexport": "Pseudonymised analytic export",
    "investigation.bailauthority": "Bail authority of an officer",
    "investigation.investigationplan": "Investigation plan",
    "investigation.plantemplateline": "Plan template line",
    "portal.onlinereport": "Online report",
    "suspects.identity": "Suspect identity",
    "suspects.linkagerun": "Linkage run",
    "suspects.linkexplanation": "Why two records were linked",
    "suspects.reviewdecision": "Link review decision",
    "suspects.tacticrecord": "Disruption tactic",
    "victims.obligation": "Victims' Code duty",
    "victims.portalaccess": "Victim's access to Follow my case",
    "victims.portalmessage": "Portal message",
    "victims.portalthrottle": "Sign-in lock on Follow my case",
    "victims.supportstatuschange": "Victim's support",
    "victims.victimcontact": "Contact with the victim",
    "victims.victimprofile": "Victim profile",
    "victims.victimupdate": "Update to the victim",
    "workforce.checkin": "Wellbeing check-in",
    "workforce.coursetype": "Training course",
    "workforce.exposureentry": "Hours with traumatic material",
    "workforce.officerprofile": "Officer's post",
    "workforce.screening": "Psychological screening",
    "workforce.trainingrecord": "Officer's training",
    "accounts.officer": "Officer's workforce record",
}

_LISTS = {
    "mine": "My cases",
    "team": "Team cases",
    "analysis": "Cases (analysis)",
    "my_work": "My work",
    "team_work": "Team work",
    "approvals": "Approvals",
    "reviews_due": "Reviews due",
}


def record_name(object_type: str) -> str:
    """The name of the kind of record an entry is about: "Person record" for "cases.PersonRecord"."""
    if not object_type:
        return ""
    key = object_type.lower()
    if key in _NAMES:
        return _NAMES[key]
    app_label, _, model_name = key.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


def _words(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item).replace("_", " ") for item in value)
    return str(value).replace("_", " ")


def what_happened(object_type: str, details: dict[str, Any]) -> str:
    """A short phrase from the entry's details: what was seen or changed, never the personal data itself."""
    parts: list[str] = []
    if details.get("shown_on"):
        parts.append(
            f"shown on the {details['shown_on']} (one entry for each person shown, beside the case's own, "
            "so that a search by person finds it)"
        )
    if details.get("list"):
        name = _LISTS.get(str(details["list"]), _words(details["list"]))
        count = details.get("count")
        parts.append(f"the {name} list" + (f", {count} shown" if count is not None else ""))
    if details.get("what"):
        parts.append(_words(details["what"]))
    if details.get("view") == "pseudonymised":
        parts.append("pseudonymised view")
    if details.get("person_ids") and object_type.lower() == "cases.case":
        count = len(details["person_ids"])
        parts.append(f"{count} {'person' if count == 1 else 'people'} shown")
    if details.get("fields"):
        parts.append(f"changed: {_words(details['fields'])}")
    if details.get("status"):
        parts.append(f"status: {_words(details['status'])}")
    if details.get("kind"):
        parts.append(_words(details["kind"]))
    if details.get("surface") == "portal":
        parts.append("by the victim on the portal")
    return "; ".join(parts)
