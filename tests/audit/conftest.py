from __future__ import annotations

import pytest

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case, PersonRecord
from tests.factories import CaseFactory, PersonRecordFactory, UserFactory


@pytest.fixture
def investigator() -> User:
    return UserFactory.create(username="amira", role=Role.INVESTIGATOR)


@pytest.fixture
def auditor() -> User:
    return UserFactory.create(username="iris", role=Role.AUDITOR)


@pytest.fixture
def case() -> Case:
    return CaseFactory.create()


@pytest.fixture
def person() -> PersonRecord:
    return PersonRecordFactory.create()


@pytest.fixture
def chain(investigator: User, case: Case, person: PersonRecord) -> list[AuditEvent]:
    """Five entries: a collection, two consultations, an alteration and a disclosure."""
    return [
        audit_record(actor=investigator, action=AuditAction.COLLECTION, case=case, object_type="cases.Case"),
        audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case, object_type="cases.Case"),
        audit_record(actor=investigator, action=AuditAction.CONSULTATION, case=case, person=person),
        audit_record(actor=investigator, action=AuditAction.ALTERATION, case=case, details={"fields": ["summary"]}),
        audit_record(actor=investigator, action=AuditAction.DISCLOSURE, case=case, recipient="CPS Yorkshire"),
    ]
