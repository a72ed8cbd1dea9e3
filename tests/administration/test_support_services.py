"""Support services: administrators keep the list the portal's support page shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role, User
from bluestone.administration.services import support_service_save
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.portal.demo import DEMO_SUPPORT_SERVICES, demo_support_services
from bluestone.portal.models import SupportService
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALUES: dict[str, Any] = {
    "name": "Hollowmere Survivors Line",
    "offer": "Someone to talk to, day or night.",
    "area": "The whole force area",
    "phone": "01632 960 999",
    "website": "",
    "email": "",
    "shown": True,
    "position": 5,
}


@pytest.fixture
def admin() -> User:
    return UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)


def test_add_and_change_are_audited(admin: User) -> None:
    service = support_service_save(actor=admin, service=None, values=VALUES)
    support_service_save(actor=admin, service=service, values=VALUES | {"area": "Eastbrook only"})
    entries = list(AuditEvent.objects.filter(object_type="portal.SupportService", object_id=str(service.pk)))
    assert [e.action for e in entries] == [AuditAction.COLLECTION, AuditAction.ALTERATION]
    assert entries[1].details == {"changed": ["area"]}


def test_a_service_needs_a_way_to_contact_it_and_a_safe_website(admin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        support_service_save(actor=admin, service=None, values=VALUES | {"phone": "", "name": ""})
    assert set(caught.value.message_dict) == {"name", "phone"}
    with pytest.raises(ValidationError) as caught:
        support_service_save(actor=admin, service=None, values=VALUES | {"website": "http://plain.example.org"})
    assert "https://" in caught.value.message_dict["website"][0]
    assert not SupportService.objects.exists()


def test_the_portal_lists_shown_services_only(client: Client, admin: User) -> None:
    support_service_save(actor=admin, service=None, values=VALUES)
    support_service_save(actor=admin, service=None, values=VALUES | {"name": "Closed Service", "shown": False})
    page = client.get(reverse("portal:support")).content.decode()
    assert "Hollowmere Survivors Line" in page
    assert "01632 960 999" in page
    assert "Closed Service" not in page


def test_the_portal_says_where_to_ask_when_there_are_none(client: Client) -> None:
    assert "No local services are listed here yet" in client.get(reverse("portal:support")).content.decode()


def test_an_administrator_adds_one_on_the_page(client: Client, admin: User) -> None:
    client.force_login(admin)
    data = {k: v for k, v in VALUES.items() if k != "shown"} | {"shown": "on"}
    response = client.post(reverse("administration:support-service-new"), data)
    assert response.status_code == 302
    service = SupportService.objects.get()
    response = client.post(reverse("administration:support-service", args=[service.pk]), data | {"offer": ""})
    assert "Enter what they offer" in response.content.decode()
    assert "Hollowmere Survivors Line" in client.get(reverse("administration:support-services")).content.decode()


def test_the_demo_services_are_made_up() -> None:
    demo_support_services(users={}, stdout=None)
    demo_support_services(users={}, stdout=None)
    assert SupportService.objects.count() == len(DEMO_SUPPORT_SERVICES)
    for service in SupportService.objects.all():
        assert service.phone.startswith("01632 960")  # Ofcom's drama range
        assert ".example.org" in service.website
