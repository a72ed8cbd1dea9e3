"""The questions of "Report online", in order, and which of them a person's answers call for.

One question a page (GOV.UK's question pages). Which pages apply depends on the first answer:
reporting anonymously skips every question about the reporter and how to contact them, so an
anonymous draft never even asks for contact details.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from bluestone.portal.models import ContactChannel, ReporterKind
from bluestone.portal.report import forms as portal_forms

Answers = dict[str, dict[str, Any]]


def kind_of(answers: Answers) -> str:
    return str(answers.get("who", {}).get("kind", ""))


def _reporting(answers: Answers) -> bool:
    return kind_of(answers) in ReporterKind.values


def _named(answers: Answers) -> bool:
    return kind_of(answers) in (ReporterKind.MYSELF, ReporterKind.SOMEONE_ELSE)


def _for_someone_else(answers: Answers) -> bool:
    return kind_of(answers) == ReporterKind.SOMEONE_ELSE


def _by_phone(answers: Answers) -> bool:
    channel = answers.get("contact", {}).get("contact_channel")
    return _named(answers) and channel in (ContactChannel.PHONE, ContactChannel.TEXT)


@dataclass(frozen=True)
class Step:
    slug: str  # in the page's address: a page name, never an answer
    title: str  # the page title and question
    form: type[forms.Form]
    applies: Callable[[Answers], bool]
    # How the template lays the page out: "radios", "checkboxes", "textarea", "text" or "fields".
    layout: str
    # Summary-list labels on the check-answers page, per field.
    check_labels: dict[str, str]


STEPS: list[Step] = [
    Step(
        "who", "Who are you reporting for?", portal_forms.WhoForm, lambda _a: True, "radios", {"kind": "Reporting for"}
    ),
    Step(
        "someone-else",
        "About the person you are reporting for",
        portal_forms.SomeoneElseForm,
        _for_someone_else,
        "fields",
        {
            "victim_first_name": "Their first name",
            "victim_last_name": "Their last name",
            "relationship_to_victim": "How you know them",
        },
    ),
    Step(
        "they-know",
        "Do they know you are reporting this?",
        portal_forms.TheyKnowForm,
        _for_someone_else,
        "radios",
        {"victim_knows": "They know you are reporting"},
    ),
    Step("what", "What happened?", portal_forms.WhatForm, _reporting, "textarea", {"what_happened": "What happened"}),
    Step("when", "When did it happen?", portal_forms.WhenForm, _reporting, "radios", {"when_happened": "When"}),
    Step("where", "Where did it happen?", portal_forms.WhereForm, _reporting, "text", {"where_happened": "Where"}),
    Step(
        "your-name",
        "What is your name?",
        portal_forms.NameForm,
        _named,
        "fields",
        {"first_name": "Your first name", "last_name": "Your last name"},
    ),
    Step(
        "contact",
        "How can we contact you safely?",
        portal_forms.ContactForm,
        _named,
        "contact",
        {"contact_channel": "Contact by", "phone": "Phone number", "email": "Email address"},
    ),
    Step(
        "safe-times",
        "When is it safe to contact you?",
        portal_forms.SafeTimesForm,
        _named,
        "checkboxes",
        {"safe_times": "Safe times", "safe_times_note": "Anything else about when to contact you"},
    ),
    Step(
        "message",
        "Can we leave you a message?",
        portal_forms.MessageForm,
        _by_phone,
        "radios",
        {"message_allowed": "We can leave a message"},
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def steps_for(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def first_unanswered(answers: Answers) -> Step | None:
    """The first page that applies and has no valid answer yet, or None when the report is complete."""
    for step in steps_for(answers):
        if step.slug not in answers or not step.form(data=answers[step.slug]).is_valid():
            return step
    return None


def is_complete(answers: Answers) -> bool:
    return kind_of(answers) in ReporterKind.values and first_unanswered(answers) is None


def previous_step(answers: Answers, before: str) -> Step | None:
    applicable = steps_for(answers)
    slugs = [step.slug for step in applicable]
    if before in slugs and slugs.index(before) > 0:
        return applicable[slugs.index(before) - 1]
    return None


def applicable_answers(answers: Answers) -> Answers:
    """Only the answers to pages that apply: changing to "anonymously" drops name and contact at once."""
    return {step.slug: answers[step.slug] for step in steps_for(answers) if step.slug in answers}


def cleaned_answers(answers: Answers) -> dict[str, Any]:
    """Every applicable page's cleaned values in one dict. Raises ValueError if a page is not valid."""
    cleaned: dict[str, Any] = {}
    for step in steps_for(answers):
        form = step.form(data=answers.get(step.slug, {}))
        if not form.is_valid():
            raise ValueError(f"The answer to '{step.title}' is missing or not valid.")
        cleaned |= form.cleaned_data
    return cleaned
