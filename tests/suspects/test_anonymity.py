"""Lifetime anonymity on the suspects app's pages: an analyst browsing the register, every identity
page and the link review sees nothing on the shared list of victim identifiers (tests/anonymity.py:
names whole and alone, aliases, identifiers, dates of birth in every format, addresses, postcodes,
phones, emails), and no suspect's name either without a case need; nor does anything the app logs
while serving them."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.cases.models import Involvement, Role
from bluestone.suspects.models import Identity
from bluestone.suspects.selectors import review_queue
from tests.anonymity import give_victims_every_kind_of_identifier, staff_names, victim_secrets
from tests.suspects.conftest import Linked

pytestmark = pytest.mark.django_db


def test_the_analyst_s_suspect_pages_show_no_victim_or_suspect_identifiers(linked: Linked, caplog) -> None:
    client = Client()
    client.force_login(linked.analyst)
    urls = [reverse("suspects:register"), reverse("suspects:disparity"), reverse("suspects:review")]
    urls += [reverse("suspects:identity", kwargs={"pk": pk}) for pk in Identity.objects.values_list("pk", flat=True)]
    urls += [reverse("suspects:pair", kwargs={"pk": e.pk}) for e in review_queue(user=linked.analyst)[:20]]
    give_victims_every_kind_of_identifier()
    secrets = victim_secrets()
    # No suspect is named to an analyst without a case need.
    for involvement in Involvement.objects.filter(role=Role.SUSPECT).select_related("person"):
        person = involvement.person
        if person.first_name and person.last_name:
            secrets.strings.add(f"{person.first_name} {person.last_name}")
    # Officers' and staff names are shown (whom to contact, who decided): one a person shares is no leak.
    officers = staff_names()
    assert len(urls) > 20
    assert len(secrets.strings) > 100
    caplog.set_level(logging.DEBUG)
    caplog.clear()  # only what the app logs while serving the pages

    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        leaked = secrets.found_in(response.content.decode(), shown=officers)
        assert not leaked, f"{url} shows {leaked[:5]}"
    leaked_in_logs = secrets.found_in_logs(caplog.records)
    assert not leaked_in_logs, f"log records hold identifiers: {leaked_in_logs[:5]}"
