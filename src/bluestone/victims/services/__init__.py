"""Writes for victims: profiles, the Victims' Code obligations, contacts, support for the
investigation, updates, portal access and messages. Each runs in one transaction and records its
s.62 entry there; each that belongs on the case's timeline goes through `case_event_record`.

One module per part of the work, each name importable from here: `profiles` (victim profiles and
contact plans), `obligations` (the Victims' Code engine: duties opened, met or not applicable),
`contact` (contacts and updates), `support` (the victim's support for the investigation) and
`portal` (access codes, messages and feedback on the portal). `_common` holds what several of them
share.
"""

from __future__ import annotations

from bluestone.victims.services._common import CASE_CREATED
from bluestone.victims.services.contact import portal_message_reply, victim_contact_record, victim_update_post
from bluestone.victims.services.obligations import (
    obligation_due_on,
    obligation_not_applicable,
    obligations_open,
    outcome_duties_meet,
    victim_closure_items,
)
from bluestone.victims.services.portal import (
    CODE_ALPHABET,
    CODE_LENGTH,
    SURVEY_FIELDS,
    access_code_new,
    access_code_normalise,
    feedback_record,
    portal_access_issue,
    portal_code_request,
    portal_message_mark_read,
    portal_message_send,
)
from bluestone.victims.services.profiles import (
    PROFILE_FIELDS,
    contact_plan_set,
    victim_profile_update,
    victim_profiles_ensure,
)
from bluestone.victims.services.support import victim_support_change

__all__ = [
    "CASE_CREATED",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "PROFILE_FIELDS",
    "SURVEY_FIELDS",
    "access_code_new",
    "access_code_normalise",
    "contact_plan_set",
    "feedback_record",
    "obligation_due_on",
    "obligation_not_applicable",
    "obligations_open",
    "outcome_duties_meet",
    "portal_access_issue",
    "portal_code_request",
    "portal_message_mark_read",
    "portal_message_reply",
    "portal_message_send",
    "victim_closure_items",
    "victim_contact_record",
    "victim_profile_update",
    "victim_profiles_ensure",
    "victim_support_change",
    "victim_update_post",
]
