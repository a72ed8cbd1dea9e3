"""Guidance notes: reads, the one write (a new version), and the source the point-of-work pages ask
(core.guidance). Every member of staff reads the notes; administrators edit them. A note is never
changed in place: an edit adds a version with who made it, when and why, and every version stays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.core import clock
from bluestone.core.templatetags.bluestone import govuk_date
from bluestone.workforce.models import GuidanceNote, GuidanceVersion


@dataclass(frozen=True)
class NoteRow:
    note: GuidanceNote
    current: GuidanceVersion


def _current(note: GuidanceNote) -> GuidanceVersion:
    version = note.versions.order_by("-number").first()
    assert version is not None  # noqa: S101 (a note is created with its first version)
    return version


def guidance_source(key: str) -> dict[str, Any] | None:
    """For `{% guidance key %}`: the note's current version, or None when there is no such note."""
    version = GuidanceVersion.objects.filter(note__key=key).select_related("note").order_by("-number").first()
    if version is None:
        return None
    return {
        "key": key,
        "title": version.title,
        "body": version.body,
        "version": version.number,
        "changed": govuk_date(version.changed_at),
        "url": reverse("guidance:note", kwargs={"key": key}),
    }


def guidance_search(*, user: User, query: str = "") -> list[NoteRow]:
    """Every note's current version, or those whose current title or text holds every word of `query`."""
    if not rules.test_rule("workforce.read_guidance", user):
        raise PermissionDenied("Guidance is for staff.")
    latest = GuidanceVersion.objects.values("note").annotate(top=Max("number"))
    wanted = Q()
    for note_id, number in ((row["note"], row["top"]) for row in latest):
        wanted |= Q(note_id=note_id, number=number)
    if not latest:
        return []
    versions = GuidanceVersion.objects.filter(wanted).select_related("note")
    for word in query.split():
        versions = versions.filter(Q(title__icontains=word) | Q(body__icontains=word) | Q(note__key__icontains=word))
    return [NoteRow(v.note, v) for v in versions.order_by("title")]


def guidance_get(*, user: User, key: str) -> tuple[GuidanceNote, QuerySet[GuidanceVersion]]:
    if not rules.test_rule("workforce.read_guidance", user):
        raise PermissionDenied("Guidance is for staff.")
    note = GuidanceNote.objects.get(key=key)
    return note, note.versions.select_related("changed_by").order_by("-number")


def guidance_version_save(
    *, actor: User, key: str, title: str, body: str, change_summary: str, new: bool = False
) -> GuidanceVersion:
    """Add the next version of a note (or, with `new`, create the note with its first version)."""
    if not rules.test_rule("workforce.edit_guidance", actor):
        raise PermissionDenied("Only administrators edit guidance.")
    with transaction.atomic():
        if new:
            if GuidanceNote.objects.filter(key=key).exists():
                raise ValidationError({"key": "There is already a note with this key: edit that one instead"})
            note = GuidanceNote.objects.create(key=key, created_by=actor, updated_by=actor)
            number = 1
        else:
            note = GuidanceNote.objects.select_for_update().get(key=key)
            current = _current(note)
            if (current.title, current.body) == (title, body):
                raise ValidationError({"body": "Nothing has changed: change the title or the text, or go back"})
            number = current.number + 1
            note.updated_by = actor
            note.save(update_fields=["updated_by", "updated_at"])
        version = GuidanceVersion.objects.create(
            note=note,
            number=number,
            title=title,
            body=body,
            change_summary=change_summary,
            changed_by=actor,
            changed_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION if new else AuditAction.ALTERATION,
            object_type="workforce.GuidanceVersion",
            object_id=version.pk,
            details={"key": key, "version": number},
        )
    return version
