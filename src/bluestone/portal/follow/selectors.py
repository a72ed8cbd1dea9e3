"""Reads for "Follow my case". The visitor is the only scope: a victim sees their own profile's updates
and messages, found from their session, never from anything in the address."""

from __future__ import annotations

from bluestone.portal.follow.services import Visitor
from bluestone.victims.models import Feedback, PortalMessage, VictimUpdate


def follow_updates(*, visitor: Visitor) -> list[VictimUpdate]:
    return list(VictimUpdate.objects.filter(profile=visitor.profile).order_by("-posted_at"))


def follow_messages(*, visitor: Visitor) -> list[PortalMessage]:
    return list(PortalMessage.objects.filter(profile=visitor.profile).prefetch_related("replies").order_by("-sent_at"))


def follow_feedback_given(*, visitor: Visitor) -> bool:
    return Feedback.objects.filter(profile=visitor.profile).exists()
