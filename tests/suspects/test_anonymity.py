"""Lifetime anonymity on the suspects app's pages: an analyst browsing the register, every identity
page and the link review sees no victim's name, date of birth, address or postcode, and no suspect's
name either without a case need."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Officer
from bluestone.cases.models import Involvement, Role
from bluestone.core.templatetags.bluestone import govuk_date
from bluestone.suspects.models import Identity
from bluestone.suspects.selectors import review_queue
from tests.suspects.conftest import Linked

pytestmark = pytest.mark.django_db


def test_the_analyst_s_suspect_pages_show_no_victim_or_suspect_identifiers(linked: Linked) -> None:
    client = Client()
    client.force_login(linked.analyst)
    urls = [reverse("suspects:register"), reverse("suspects:disparity"), reverse("suspects:review")]
    urls += [reverse("suspects:identity", kwargs={"pk": pk}) for pk in Identity.objects.values_list("pk", flat=True)]
    urls += [reverse("suspects:pair", kwargs={"pk": e.pk}) for e in review_queue(user=linked.analyst)[:20]]
    secrets: set[str] = set()
    for involvement in Involvement.objects.select_related("person").prefetch_related("person__addresses"):
        person = involvement.person
        if involvement.role == Role.SUSPECT:
            if person.first_name and person.last_name:
                secrets.add(f"{person.first_name} {person.last_name}")
            continue
        if person.first_name and person.last_name:
            secrets.add(f"{person.first_name} {person.last_name}")
        if person.date_of_birth:
            secrets.add(govuk_date(person.date_of_birth))
        secrets |= {a.postcode for a in person.addresses.all() if a.postcode}
    # Officers' names are shown (the officer in the case to contact); a person who shares one is no leak.
    secrets -= {f"{first} {last}" for first, last in Officer.objects.values_list("first_name", "last_name")}
    assert len(urls) > 20
    assert len(secrets) > 100

    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        leaked = sorted(secret for secret in secrets if secret in body)
        assert not leaked, f"{url} shows {leaked[:5]}"
