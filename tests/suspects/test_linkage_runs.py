"""Full linkage runs in the app: what is stored, audited and kept from run to run (suspects.services)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.entry import PersonDetails, case_create
from bluestone.cases.models import Involvement, PersonRecord, Role
from bluestone.core.models import OffenceClass
from bluestone.linkage import LinkageModel
from bluestone.suspects.models import (
    Identity,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    MemberSource,
    RunKind,
    RunStatus,
)
from bluestone.suspects.services import linkage_run_full, linkage_score_people
from tests.factories import BASE_TIME, OfficerFactory, TeamFactory
from tests.suspects.conftest import Linked

pytestmark = pytest.mark.django_db


def test_a_full_run_stores_identities_members_and_explanations_and_audits_it(linked: Linked) -> None:
    run = linked.run

    assert run.status == RunStatus.FINISHED
    assert run.records == Involvement.objects.filter(role=Role.SUSPECT).values("person").distinct().count()
    assert run.identities == Identity.objects.filter(active=True).count() > 10
    assert LinkExplanation.objects.filter(current=True).count() == run.pairs_kept > 0
    # Every member's identity has two or more records, and a record is in one identity only.
    sizes = Counter(IdentityMember.objects.values_list("identity_id", flat=True))
    assert min(sizes.values()) >= 2
    assert run.model is not None
    assert LinkageModel.from_dict(run.model).threshold == run.threshold == 0.9
    entry = AuditEvent.objects.get(action=AuditAction.COMBINATION, object_id=str(run.pk))
    assert entry.actor == linked.analyst
    assert entry.details["identities"] == run.identities


def test_identities_are_mostly_one_true_person(linked: Linked) -> None:
    members = IdentityMember.objects.values_list("identity_id", "person_id")
    people: dict[object, set[str]] = {}
    for identity, person in members:
        people.setdefault(identity, set()).add(linked.truth_of[str(person)])
    pure = sum(1 for truths in people.values() if len(truths) == 1)
    assert pure / len(people) >= 0.95


def test_an_explanation_holds_the_prior_and_a_weight_per_comparison(linked: Linked) -> None:
    explanation = LinkExplanation.objects.filter(current=True).order_by("-match_probability").first()
    assert explanation is not None
    assert {"prior", "first_name", "last_name", "date_of_birth", "residence", "phone"} <= set(explanation.weights)
    # The prior plus the comparisons' weights is the match weight (docs/linkage.md).
    assert sum(explanation.weights.values()) == pytest.approx(explanation.match_weight, abs=0.01)


def test_a_second_run_keeps_the_identities_ids(linked: Linked) -> None:
    before = dict(IdentityMember.objects.values_list("person_id", "identity_id"))

    linkage_run_full(actor=linked.analyst, model=linked.model)

    after = dict(IdentityMember.objects.values_list("person_id", "identity_id"))
    assert after == before
    assert LinkExplanation.objects.filter(current=False).count() == 0  # the old explanations are replaced


def test_a_run_with_too_few_records_fails_and_says_why(db: None) -> None:
    with pytest.raises(ValueError, match="linkage needs at least"):
        linkage_run_full(actor=None)

    run = LinkageRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "There are 0 suspect records" in run.error
    assert not Identity.objects.exists()


def test_the_link_force_command_runs_a_full_linkage(loaded: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("link-force", seed=3)

    run = LinkageRun.objects.get(kind=RunKind.FULL)
    assert run.status == RunStatus.FINISHED
    assert run.started_by is None
    assert "people in two or more records" in capsys.readouterr().out


def _copy_of(person: PersonRecord) -> PersonDetails:
    address = person.addresses.first()
    phone = person.phones.first()
    return PersonDetails(
        role=Role.SUSPECT,
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        address=address.address if address else "",
        postcode=address.postcode if address else "",
        phone=phone.number if phone else "",
    )


def test_a_new_case_s_suspect_joins_the_known_identity_within_the_case_s_commit(
    linked: Linked, django_capture_on_commit_callbacks: object
) -> None:
    member = IdentityMember.objects.select_related("person").order_by("person__last_name").first()
    assert member is not None
    team = TeamFactory.create()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        case = case_create(
            actor=linked.analyst,
            offence_class=OffenceClass.objects.get(code="19C"),
            team=team,
            officer=OfficerFactory.create(team=team),
            reported_at=BASE_TIME,
            offence_from=BASE_TIME.date() - dt.timedelta(days=2),
            how_reported="online",
            people=[PersonDetails(role=Role.VICTIM, first_name="Ash"), _copy_of(member.person)],
        )

    suspect = Involvement.objects.get(case=case, role=Role.SUSPECT).person
    joined = IdentityMember.objects.get(person=suspect)
    assert joined.identity_id == member.identity_id
    assert joined.source == MemberSource.INCREMENTAL
    assert joined.match_probability is not None
    assert joined.match_probability >= 0.9
    run = LinkageRun.objects.get(kind=RunKind.INCREMENTAL)
    assert AuditEvent.objects.filter(action=AuditAction.COMBINATION, object_id=str(run.pk), case_id=case.pk).exists()
    victim = Involvement.objects.get(case=case, role=Role.VICTIM).person
    assert not IdentityMember.objects.filter(person=victim).exists()  # victims are not linked
    identity = Identity.objects.get(pk=member.identity_id)
    assert identity.record_count == IdentityMember.objects.filter(identity=identity).count()
    # The task may run twice (a worker restarted): the second finds the record placed and does nothing.
    explanations = LinkExplanation.objects.count()
    assert linkage_score_people(person_ids=[suspect.pk], case_id=case.pk) is None
    assert LinkExplanation.objects.count() == explanations
    assert IdentityMember.objects.filter(person=suspect).count() == 1


def test_no_model_yet_means_new_suspects_wait_for_the_first_full_run(
    loaded: None, analyst: object, django_capture_on_commit_callbacks: object
) -> None:
    team = TeamFactory.create()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        case_create(
            actor=analyst,  # type: ignore[arg-type]
            offence_class=OffenceClass.objects.get(code="19C"),
            team=team,
            reported_at=BASE_TIME,
            offence_from=BASE_TIME.date(),
            how_reported="online",
            people=[PersonDetails(role=Role.SUSPECT, first_name="Kit", last_name="Marlow")],
        )

    assert not LinkageRun.objects.exists()


def test_link_force_on_spark_reuses_the_stored_model_and_keeps_every_identity(
    linked: Linked, spark: object, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dict(IdentityMember.objects.values_list("person_id", "identity_id"))

    call_command("link-force", engine="spark")

    run = LinkageRun.objects.filter(kind=RunKind.FULL).exclude(pk=linked.run.pk).get()
    assert run.status == RunStatus.FINISHED
    assert "reused" in run.model_version  # the last run's model, not a new one trained on Spark
    assert run.model == linked.run.model
    # DuckDB's identities, to the record: every member kept its identity.
    assert dict(IdentityMember.objects.values_list("person_id", "identity_id")) == before
    assert "on spark" in capsys.readouterr().out
