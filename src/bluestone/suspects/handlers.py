"""What the suspects app does when the case core publishes an event (bluestone.core.events)."""

from __future__ import annotations

from django.db import transaction

from bluestone.cases.events import PeopleChanged


def on_people_changed(event: PeopleChanged) -> None:
    """Score the case's suspect records against known identities, after the case commits (ADR 5)."""
    from bluestone.suspects.tasks import link_people  # noqa: PLC0415 (tasks import the services, loaded late)

    case_id, person_ids, actor_id = str(event.case_id), [str(p) for p in event.person_ids], event.actor_id
    transaction.on_commit(lambda: link_people.enqueue(case_id=case_id, person_ids=person_ids, actor_id=actor_id))
