"""Closing a case: the checklist of what it still holds open (bail, exhibits, requests, Victims' Code
duties, the victim told of the outcome and of the right to review), gathered from every app through
cases.extensions, and what the investigation itself adds to it.
"""

from __future__ import annotations

from django.urls import reverse

from bluestone.cases.extensions import ClosureItem, closure_items_for
from bluestone.cases.models import Case
from bluestone.investigation.models import ApprovalState, Bail, BailStatus, LineOfEnquiry, OutcomeDecision


def investigation_closure_items(case: Case) -> list[ClosureItem]:
    """Suspects still on bail, and victim-focused actions still waiting for a supervisor."""
    items = [
        ClosureItem(
            area="Bail",
            description=f"{bail.suspect.person.full_name or 'The unnamed suspect'} is on pre-charge bail until "
            f"{bail.expires_on:%-d %B %Y}: end it, or record the charge, release under investigation or no further "
            "action",
            url=reverse("investigation:bail-end", kwargs={"pk": case.pk, "bail": bail.pk}),
            resolved=False,
            action="End the bail",
        )
        for bail in Bail.objects.filter(case=case, status=BailStatus.ACTIVE).select_related("suspect__person")
    ]
    items += [
        ClosureItem(
            area="Requests",
            description=f"{line.get_intrusive_kind_display()} is waiting for a supervisor's approval: decide it, or "
            "mark the line not needed",
            url=reverse("investigation:line", kwargs={"pk": case.pk, "line": line.pk}),
            resolved=False,
            action="Open the line of enquiry",
        )
        for line in LineOfEnquiry.objects.filter(plan__case=case, approval_state=ApprovalState.REQUESTED)
    ]
    return items


def _victim_items(decision: OutcomeDecision) -> list[ClosureItem]:
    url = reverse("investigation:outcome-victim-told", kwargs={"pk": decision.case_id, "decision": decision.pk})
    told = (
        f"The victim was told of the outcome on {decision.victim_informed_on:%-d %B %Y}"
        if decision.victim_informed and decision.victim_informed_on
        else "The victim has not been told of the outcome"
    )
    items = [
        ClosureItem(
            area="The victim",
            description=told,
            url=url,
            resolved=decision.victim_informed,
            action="Record that the victim was told",
        )
    ]
    if decision.outcome_type.right_to_review:
        items.append(
            ClosureItem(
                area="The victim",
                description="The victim was told of their right to ask for a review of the decision not to charge "
                "(Victims' Right to Review)"
                if decision.victim_told_right_to_review
                else "The victim has not been told of their right to ask for a review of the decision not to charge "
                "(Victims' Right to Review)",
                url=url,
                resolved=decision.victim_told_right_to_review,
                action="Record that the victim was told of the right to review",
            )
        )
    return items


def closure_checklist(*, case: Case, decision: OutcomeDecision) -> list[ClosureItem]:
    """Everything the case must resolve before the outcome closes it, open items first."""
    items = closure_items_for(case=case) + _victim_items(decision)
    return sorted(items, key=lambda i: i.resolved)


def closure_blockers(*, case: Case, decision: OutcomeDecision) -> list[str]:
    """The open items, as the reasons a sign-off is refused."""
    return [
        f"{item.area}: {item.description}."
        for item in closure_checklist(case=case, decision=decision)
        if not item.resolved
    ]
