"""The suspects app's part of `bluestone demo`, and `bluestone link-force --priorities-only`."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from bluestone.accounts.models import Officer
from bluestone.cases.models import Case, Involvement, Role
from bluestone.core.demo import demo_steps
from bluestone.suspects.extensions import demo_linkage
from bluestone.suspects.models import Identity, IdentityMember, LinkageRun, RunStatus
from tests.factories import CaseFactory, UserFactory
from tests.suspects.factories import identity_of, suspect_on

pytestmark = pytest.mark.django_db


def test_the_demo_links_the_force_and_names_a_case_with_a_repeat_suspect(loaded: None, truth: dict[str, str]) -> None:
    assert "repeat suspects (linkage)" in [step.name for step in demo_steps()]
    assert not IdentityMember.objects.exists()  # nothing linked before the step
    # The demo investigator is the officer of a case whose suspect is, in truth, in five or more reports.
    suspects = list(Involvement.objects.filter(role=Role.SUSPECT).values_list("person__source_id", "case__officer"))
    reports = Counter(truth[str(source)] for source, _officer in suspects)
    officer_id = next(o for source, o in sorted(suspects, key=str) if o and reports[truth[str(source)]] >= 5)
    officer = Officer.objects.get(pk=officer_id)
    investigator = UserFactory.create(username="demo-inv", role="investigator")
    officer.user = investigator
    officer.save()

    lines = demo_linkage(users={"investigator": investigator}, stdout=io.StringIO())

    run = LinkageRun.objects.get()
    assert run.status == RunStatus.FINISHED
    assert lines[0].startswith(f"Linkage: {run.records:,} suspect records, {run.identities:,} people")
    repeat_cases = set(
        Involvement.objects.filter(
            role=Role.SUSPECT, case__officer=officer, person__identity_member__isnull=False
        ).values_list("case__crime_reference", flat=True)
    )
    assert repeat_cases
    assert "Repeat suspects: the suspect on case" in lines[-1]
    assert any(reference in lines[-1] for reference in repeat_cases)


def test_priorities_only_recomputes_the_scores_without_linking(db: None) -> None:
    identity = identity_of(suspect_on(CaseFactory.create()), suspect_on(CaseFactory.create()))
    Identity.objects.filter(pk=identity.pk).update(priority=0, priority_parts={})
    out = io.StringIO()

    call_command("link-force", priorities_only=True, stdout=out)

    identity.refresh_from_db()
    assert identity.priority > 0
    assert set(identity.priority_parts) == {"recency", "frequency", "gravity", "escalation", "victims", "child_victims"}
    assert "Priority recomputed for 1 identities" in out.getvalue()
    assert LinkageRun.objects.count() == 1  # the factory's run only: nothing was linked
    assert Case.objects.count() == 2
