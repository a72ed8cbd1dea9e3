"""Factories for the investigation's own rows. Plans are normally made by the service (plan_create)."""

from __future__ import annotations

import factory

from bluestone.cases.models import Role as InvolvementRole
from bluestone.investigation.models import Focus, InvestigationPlan, LineGroup, LineOfEnquiry, LineStatus
from tests.factories import BASE_TIME, CaseFactory, InvolvementFactory, PersonRecordFactory

__all__ = ["InvestigationPlanFactory", "LineOfEnquiryFactory", "SuspectFactory"]


class InvestigationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvestigationPlan

    case = factory.SubFactory(CaseFactory)
    next_review_due_at = BASE_TIME


class LineOfEnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineOfEnquiry

    plan = factory.SubFactory(InvestigationPlanFactory)
    group = LineGroup.SUSPECT
    focus = Focus.SUSPECT
    title = factory.Sequence(lambda n: f"Line of enquiry {n}")
    status = LineStatus.NOT_STARTED


class SuspectFactory(InvolvementFactory):
    role = InvolvementRole.SUSPECT
    person = factory.SubFactory(PersonRecordFactory)
