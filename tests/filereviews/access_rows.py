"""Access-matrix rows for case-file reviews: supervisors and analysts draw samples and review; the
review template is kept by administrators; nobody else may use them."""

from __future__ import annotations

from typing import Any

from tests.access import ALLOW, DENY, POST_ONLY, REDIRECT, Route, World, outcomes

REVIEWERS = outcomes(DENY, supervisor=ALLOW, analyst=ALLOW)


def _sample(world: World) -> Any:
    from bluestone.filereviews.models import CaseReview, ReviewSample  # noqa: PLC0415 (needs the database)
    from bluestone.filereviews.selectors import template_current  # noqa: PLC0415

    case = world.cases["own"]
    sample = ReviewSample.objects.create(
        template=template_current(),
        title="Matrix sample",
        decided_from=case.offence_from,
        decided_to=case.offence_from,
        size=1,
        seed=1,
    )
    review = CaseReview.objects.create(sample=sample, case=case, outcome_group="charged", team=case.team)
    return sample, review


def _sample_kwargs(world: World, _variant: str) -> dict[str, Any]:
    sample, _review = _sample(world)
    return {"sample": sample.pk}


def _review_kwargs(world: World, _variant: str) -> dict[str, Any]:
    sample, review = _sample(world)
    return {"sample": sample.pk, "review": review.pk}


def _action_kwargs(world: World, _variant: str) -> dict[str, Any]:
    import datetime as dt  # noqa: PLC0415

    from bluestone.filereviews.models import Pillar, ReviewAction  # noqa: PLC0415

    sample, _review = _sample(world)
    action = ReviewAction.objects.create(
        sample=sample,
        pillar=Pillar.USE_OF_DATA,
        description="Check outcome codes",
        owner=world.users["supervisor"],
        due_on=dt.date(2030, 1, 1),
    )
    return {"sample": sample.pk, "action": action.pk}


ROWS: dict[str, Route] = {
    "filereviews:samples": Route(get=REVIEWERS),
    # An empty form: the page again with what to put right.
    "filereviews:sample-new": Route(get=REVIEWERS, post=REVIEWERS),
    "filereviews:template": Route(get=outcomes(DENY, administrator=ALLOW), post=outcomes(DENY, administrator=ALLOW)),
    "filereviews:sample": Route(get=REVIEWERS, url_kwargs=_sample_kwargs),
    # The own team's supervisor reviews the case in full, the analyst pseudonymised: both may review it.
    "filereviews:review": Route(get=REVIEWERS, post=REVIEWERS, url_kwargs=_review_kwargs),
    "filereviews:action-new": Route(get=REVIEWERS, post=REVIEWERS, url_kwargs=_sample_kwargs),
    # An empty POST changes nothing and goes back to the sample.
    "filereviews:action-done": Route(
        get=POST_ONLY, post=outcomes(DENY, supervisor=REDIRECT, analyst=REDIRECT), url_kwargs=_action_kwargs
    ),
}
