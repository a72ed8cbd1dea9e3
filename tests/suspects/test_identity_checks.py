"""Identities are checked before they are stored, and what an analyst reads about a link stands alone."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role as StaffRole
from bluestone.suspects.models import Identity, LinkageRun, LinkExplanation, RunKind, RunStatus
from tests.factories import CaseFactory, OfficerFactory, TeamFactory, UserFactory
from tests.suspects.factories import explanation, identity_of, suspect_on

pytestmark = pytest.mark.django_db

HELD = "Twins, siblings or a couple? The same last name and address, different first names"
DETAILS = {
    "first_name": {"level": "Different", "a": "aaron", "b": "ryan"},
    "last_name": {"level": "Exact", "a": "okonkwo", "b": "okonkwo"},
    "date_of_birth": {"level": "Exact", "a": "1994-07-21", "b": "1994-07-21"},
    "residence": {"level": "Same address and postcode", "a": "12 ash road / LS62AB", "b": "12 ash road / LS62AB"},
}


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def twins() -> dict[str, object]:
    team = TeamFactory.create()
    investigator = UserFactory.create(username="inv", role=StaffRole.INVESTIGATOR, team=team)
    officer = OfficerFactory.create(team=team, user=investigator)
    a = suspect_on(CaseFactory.create(team=team, officer=officer), first_name="Aaron", last_name="Okonkwo")
    b = suspect_on(CaseFactory.create(team=team, officer=officer), first_name="Ryan", last_name="Okonkwo")
    pair = explanation(a, b, probability=0.999)
    pair.held_reason = HELD
    pair.match_rule = "same date of birth and postcode"
    # Stored with person_a first: put the values the right way round for the pair as stored.
    flipped = pair.person_a_id != a.pk
    pair.details = {
        key: {"level": value["level"], "a": value["b"], "b": value["a"]} if flipped else value
        for key, value in DETAILS.items()
    }
    pair.weights = {"prior": -13.0, "first_name": -4.0, "last_name": 6.0, "date_of_birth": 13.0, "residence": 14.0}
    pair.save()
    analyst = UserFactory.create(username="ana", role=StaffRole.ANALYST, team=None)
    supervisor = UserFactory.create(username="sup", role=StaffRole.SUPERVISOR, team=team)
    return {"pair": pair, "analyst": analyst, "supervisor": supervisor}


def test_a_held_pair_waits_in_link_review_however_likely_with_its_reason(twins: dict) -> None:
    client = _client(twins["analyst"])
    response = client.get(reverse("suspects:review"))
    assert response["Location"] == reverse("suspects:pair", kwargs={"pk": twins["pair"].pk})

    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="held-reason"' in page
    assert "Not linked automatically. " + HELD in page
    assert "because they have the same date of birth and postcode" in page
    # Each comparison says what the model found; the values stay hidden from a pseudonymised reader.
    assert "Same address and postcode" in page
    assert "Different" in page
    assert "okonkwo" not in page
    assert "Not shown at your access level" in page


def test_the_values_compared_are_shown_to_a_supervisor_who_may_open_both_reports(twins: dict) -> None:
    page = _client(twins["supervisor"]).get(reverse("suspects:pair", kwargs={"pk": twins["pair"].pk}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "aaron; ryan" in text or "ryan; aaron" in text
    assert "12 ash road / LS62AB; 12 ash road / LS62AB" in text


def test_the_register_and_identity_page_show_the_weakest_link_and_the_review_flag() -> None:
    team = TeamFactory.create()
    records = [suspect_on(CaseFactory.create(team=team), first_name="Dale", last_name="Marsh") for _ in range(3)]
    identity = identity_of(*records)
    Identity.objects.filter(pk=identity.pk).update(
        weakest_link=0.9534, review_reason="Held for review: a record joins this identity only through a pair below 99%"
    )
    sure = identity_of(
        *[suspect_on(CaseFactory.create(team=team), first_name="Ian", last_name="Roe") for _ in range(2)]
    )
    Identity.objects.filter(pk=sure.pk).update(weakest_link=0.99996)
    client = _client(UserFactory.create(username="ana", role=StaffRole.ANALYST, team=None))

    register = client.get(reverse("suspects:register")).content.decode()
    assert register.count('data-testid="needs-review"') == 1
    assert ">95.3%<" in register
    assert ">99.9%<" in register  # rounded down: never shown as a certain 100%

    page = client.get(reverse("suspects:identity", kwargs={"pk": identity.pk})).content.decode()
    assert "95.3%: the lowest match probability that holds these records together" in page
    assert "Held for review: a record joins this identity only through a pair below 99%" in page


def test_link_force_reuses_the_last_run_s_model_and_retrains_on_request(
    loaded: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("link-force", seed=3)  # a seed asks for training
    call_command("link-force")
    call_command("link-force", retrain=True)

    runs = list(LinkageRun.objects.filter(kind=RunKind.FULL).order_by("requested_at"))
    assert [r.status for r in runs] == [RunStatus.FINISHED] * 3
    assert [r.model_version.rsplit(", ", 1)[-1] for r in runs] == ["trained", "reused", "trained"]
    assert runs[1].model == runs[0].model
    assert "model format 3, Splink 5.0.0, reused" in capsys.readouterr().out
    # Every stored identity carries its checks: a weakest link, and a reason where it needs review.
    assert Identity.objects.filter(active=True, weakest_link__isnull=True).count() == 0
    assert LinkExplanation.objects.filter(current=True).exclude(details={}).exists()
    assert LinkExplanation.objects.filter(current=True).exclude(match_rule="").exists()
