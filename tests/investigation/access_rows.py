"""The investigation's rows of the access matrix (tests/test_access_matrix.py), and the New case page.

Case pages follow the case page's need-to-know: investigators and supervisors of the case's team
see their team's case; another team's case gives the break-glass prompt (403) and a restricted one
the restricted page (403). Supervising pages (reviews, approvals, sign-off, reopening) are for the
case team's supervisor only. Routes naming another object (a line, a bail, an outcome decision)
create it on the variant's case.
"""

from __future__ import annotations

from typing import Any

from bluestone.cases.models import Involvement
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core.models import OutcomeType
from bluestone.investigation.models import (
    AuthorityLevel,
    Bail,
    BailAuthority,
    DecisionState,
    IntrusiveKind,
    InvestigationPlan,
    LineGroup,
    LineOfEnquiry,
    OutcomeDecision,
    PlanTemplate,
)
from tests.access import (
    ADM,
    INV,
    POST_ONLY,
    REDIRECT,
    SUP,
    Route,
    World,
    everywhere,
    outcomes,
    per_case,
)
from tests.access import ALLOW as OK
from tests.access import DENY as NO
from tests.factories import BASE_TIME, PersonRecordFactory

WORKERS = outcomes(NO, **{INV: OK, SUP: OK})
SUPERVISOR = outcomes(NO, **{SUP: OK})


def _work(own: dict[str, str] = WORKERS) -> dict[str, dict[str, str]]:
    """Who works the case: its team (own case) and nobody else (other team's or restricted case)."""
    return per_case(own=own, other=outcomes(NO), restricted=outcomes(NO))


def _plan(world: World, variant: str) -> InvestigationPlan:
    case = world.cases[variant]
    plan, _ = InvestigationPlan.objects.get_or_create(case=case, defaults={"next_review_due_at": BASE_TIME})
    return plan


def _with_plan(world: World, variant: str) -> dict[str, Any]:
    return {"pk": _plan(world, variant).case_id}


def _line(world: World, variant: str) -> dict[str, Any]:
    plan = _plan(world, variant)
    line = LineOfEnquiry.objects.create(
        plan=plan, group=LineGroup.VICTIM_ACCOUNT, title="Matrix line", intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD
    )
    return {"pk": plan.case_id, "line": line.pk}


def _bail(world: World, variant: str) -> dict[str, Any]:
    case = world.cases[variant]
    suspect = Involvement.objects.create(case=case, person=PersonRecordFactory.create(), role=InvolvementRole.SUSPECT)
    bail = Bail.objects.create(
        case=case, suspect=suspect, starts_on=BASE_TIME.date(), expires_on=BASE_TIME.date(), victim_views="Asked"
    )
    return {"pk": case.pk, "bail": bail.pk}


def _decision(world: World, variant: str) -> dict[str, Any]:
    case = world.cases[variant]
    decision = OutcomeDecision.objects.create(
        case=case,
        outcome_type=OutcomeType.objects.get(code=18),
        decided_on=BASE_TIME.date(),
        rationale="Matrix",
        proposed_by=world.users[INV],
        state=DecisionState.PROPOSED,
    )
    return {"pk": case.pk, "decision": decision.pk}


def _template(world: World, variant: str) -> dict[str, Any]:
    return {"template": PlanTemplate.objects.get(is_default=True).pk}


def _template_line(world: World, variant: str) -> dict[str, Any]:
    return {"line": PlanTemplate.objects.get(is_default=True).lines.first().pk}  # type: ignore[union-attr]


def _bail_authority(world: World, variant: str) -> dict[str, Any]:
    authority, _ = BailAuthority.objects.get_or_create(
        user=world.users[SUP], defaults={"level": AuthorityLevel.SUPERINTENDENT}
    )
    return {"pk": authority.pk}


ROWS: dict[str, Route] = {
    # Queues.
    "investigation:my-work": Route(get=outcomes(NO, **{INV: OK})),
    "investigation:team-work": Route(get=SUPERVISOR),
    "investigation:approvals": Route(get=SUPERVISOR),
    "investigation:reviews-due": Route(get=SUPERVISOR),
    # Plan templates: reference data for administrators, no case content.
    "investigation:templates": Route(get=outcomes(NO, **{ADM: OK})),
    "investigation:template-line-new": Route(
        get=outcomes(NO, **{ADM: OK}), post=outcomes(NO, **{ADM: OK}), url_kwargs=_template
    ),
    "investigation:template-line": Route(
        get=outcomes(NO, **{ADM: OK}), post=outcomes(NO, **{ADM: OK}), url_kwargs=_template_line
    ),
    # Bail authority beyond rank: kept by administrators. An empty POST gives the form's errors;
    # taking one away needs the form's confirmation, so an empty POST changes nothing and goes back.
    "investigation:bail-authority": Route(get=outcomes(NO, **{ADM: OK}), post=outcomes(NO, **{ADM: OK})),
    "investigation:bail-authority-revoke": Route(
        get=POST_ONLY, post=outcomes(NO, **{ADM: REDIRECT}), url_kwargs=_bail_authority
    ),
    # Case tabs.
    "investigation:plan": Route(takes_case=True, get=_work()),
    "investigation:timeline": Route(takes_case=True, get=_work()),
    "investigation:outcome": Route(takes_case=True, get=_work()),
    # An empty POST (no confirmation) creates nothing and goes back to the plan.
    "investigation:plan-create": Route(
        takes_case=True,
        get=everywhere(POST_ONLY),
        post=_work(outcomes(NO, **{INV: REDIRECT, SUP: REDIRECT})),
    ),
    # Forms: an empty POST is the form again with its errors.
    "investigation:line-add": Route(takes_case=True, get=_work(), post=_work(), url_kwargs=_with_plan),
    "investigation:line": Route(takes_case=True, get=_work(), post=_work(), url_kwargs=_line),
    "investigation:line-approval": Route(takes_case=True, get=_work(), post=_work(), url_kwargs=_line),
    "investigation:line-decide": Route(
        takes_case=True, get=_work(SUPERVISOR), post=_work(SUPERVISOR), url_kwargs=_line
    ),
    "investigation:review": Route(takes_case=True, get=_work(SUPERVISOR), post=_work(SUPERVISOR)),
    "investigation:suspect-event": Route(takes_case=True, get=_work(), post=_work()),
    "investigation:charge": Route(takes_case=True, get=_work(), post=_work()),
    "investigation:bail-new": Route(takes_case=True, get=_work(), post=_work()),
    "investigation:bail-conditions": Route(takes_case=True, get=_work(), post=_work(), url_kwargs=_bail),
    "investigation:bail-extend": Route(takes_case=True, get=_work(), post=_work(), url_kwargs=_bail),
    "investigation:bail-end": Route(takes_case=True, get=_work(), post=_work(), url_kwargs=_bail),
    "investigation:cps": Route(takes_case=True, get=_work(), post=_work()),
    "investigation:outcome-propose": Route(takes_case=True, get=_work(), post=_work()),
    "investigation:outcome-sign-off": Route(
        takes_case=True, get=_work(SUPERVISOR), post=_work(SUPERVISOR), url_kwargs=_decision
    ),
    "investigation:outcome-victim-told": Route(takes_case=True, get=_work(), post=_work(), url_kwargs=_decision),
    "investigation:outcome-reopen": Route(takes_case=True, get=_work(SUPERVISOR), post=_work(SUPERVISOR)),
    # The New case page (cases app): investigators and supervisors of a team.
    "cases:new": Route(get=WORKERS, post=WORKERS),
}
