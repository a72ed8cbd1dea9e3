"""Forms for the auditor's pages: the access-log search, the CSV download and the verify check.

The search is read from the query string (so a search can be bookmarked and paged through) and is
re-sent, as hidden fields, with the download, so the file holds exactly the rows on screen.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django import forms

from bluestone.accounts.models import User
from bluestone.audit.case_references import case_references, cases_with_reference
from bluestone.audit.models import AuditAction
from bluestone.audit.selectors import AuditFilters
from bluestone.audit.services import RECIPIENT_MAX
from bluestone.core import clock
from bluestone.core.forms import GovukDateField, SafeTextMixin, date_field

# Nothing in the log can be older than the service; an earlier date is a typing mistake.
EARLIEST_DATE = dt.date(2000, 1, 1)
HASH_PATTERN = re.compile(r"[0-9a-f]{64}")

TargetKind = Literal["case", "person", "user"]


@dataclass(frozen=True)
class SearchTarget:
    """What the auditor searched the log for: one case, one person record or one member of staff."""

    kind: TargetKind
    id: uuid.UUID | int
    label: str
    username: str = ""

    def as_details(self) -> dict[str, object]:
        """The search as plain JSON for the log entry (ids, never names)."""
        details: dict[str, object] = {"by": self.kind, "id": str(self.id)}
        if self.kind == "user":
            details["username"] = self.username
        return details


def _date_field(label: str) -> GovukDateField:
    return date_field(label, required=False, what=f"the {label.lower()}")


def _parse_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


class _DateRange(SafeTextMixin, forms.Form):
    """Checks a form's `date_from` and `date_to`: each a real day between 1 January 2000 and today."""

    def _check_date(self, name: str, label: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is None:
            return None
        if value < EARLIEST_DATE:
            raise forms.ValidationError(f"{label} must be the same as or after 1 January 2000")
        if value > clock.today():
            raise forms.ValidationError(f"{label} must be today or in the past")
        return value

    def clean_date_from(self) -> dt.date | None:
        return self._check_date("date_from", "Date from")

    def clean_date_to(self) -> dt.date | None:
        return self._check_date("date_to", "Date to")


class AccessLogSearchForm(_DateRange):
    """Search by one of case, person record or username; narrow by dates and action."""

    case = forms.CharField(
        label="Case",
        required=False,
        max_length=64,
        help_text="The crime reference or the case ID",
        error_messages={"max_length": "The case must be 64 characters or fewer"},
    )
    person = forms.CharField(
        label="Person record ID",
        required=False,
        max_length=64,
        help_text="The ID of one person record, for example 3f2b9c4e-1d2a-4b7c-9e8f-0a1b2c3d4e5f",
        error_messages={"max_length": "The person record ID must be 64 characters or fewer"},
    )
    username = forms.CharField(
        label="Username",
        required=False,
        max_length=150,
        help_text="The member of staff's username",
        error_messages={"max_length": "The username must be 150 characters or fewer"},
    )
    date_from = _date_field("Date from")
    date_to = _date_field("Date to")
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action"), *AuditAction.choices],
        error_messages={"invalid_choice": "Choose an action from the list"},
    )

    SEARCH_FIELDS = ("case", "person", "username")

    def clean_case(self) -> SearchTarget | None:
        text: str = self.cleaned_data.get("case") or ""
        if not text:
            return None
        case_id = _parse_uuid(text)
        if case_id is not None:
            # A case ID is searched even when the case is gone: the log outlives the records it speaks of.
            reference = case_references({case_id}).get(case_id)
            return SearchTarget(kind="case", id=case_id, label=reference or str(case_id))
        found = cases_with_reference(text, limit=2)
        if len(found) != 1:
            raise forms.ValidationError(
                "No case has that crime reference: check it, or enter the case ID instead", code="not_found"
            )
        pk, reference = found[0]
        return SearchTarget(kind="case", id=pk, label=reference)

    def clean_person(self) -> SearchTarget | None:
        text: str = self.cleaned_data.get("person") or ""
        if not text:
            return None
        person_id = _parse_uuid(text)
        if person_id is None:
            raise forms.ValidationError(
                "Enter the person record ID in full, for example 3f2b9c4e-1d2a-4b7c-9e8f-0a1b2c3d4e5f"
            )
        return SearchTarget(kind="person", id=person_id, label=str(person_id))

    def clean_username(self) -> SearchTarget | None:
        text: str = self.cleaned_data.get("username") or ""
        if not text:
            return None
        user = User.objects.filter(username=text).first()
        if user is None:
            matches = list(User.objects.filter(username__iexact=text)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            raise forms.ValidationError("No member of staff has that username: check it and try again")
        return SearchTarget(kind="user", id=user.pk, label=user.username, username=user.username)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = [name for name in self.SEARCH_FIELDS if self.data.get(name, "").strip()]
        if not given:
            self.add_error("case", "Enter a case, a person record ID or a username to search the access log")
        elif len(given) > 1:
            self.add_error(given[1], "Search by one of case, person record ID or username at a time")
        start: dt.date | None = cleaned.get("date_from")
        end: dt.date | None = cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    @property
    def target(self) -> SearchTarget:
        """The one thing searched for; only after `is_valid()` has returned True."""
        for name in self.SEARCH_FIELDS:
            target = self.cleaned_data.get(name)
            if isinstance(target, SearchTarget):
                return target
        raise ValueError("The search form is not valid, so it has no target.")

    @property
    def filters(self) -> AuditFilters:
        action = self.cleaned_data.get("action") or ""
        return AuditFilters(
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
            actions=[action] if action else [],
        )

    def query_values(self) -> list[tuple[str, str]]:
        """The search as it was typed, for the hidden fields of the download form."""
        return [(name, str(self.data.get(name, ""))) for name in self.fields if self.data.get(name)]


class ExportForm(SafeTextMixin, forms.Form):
    """Who receives a download of the access log: the log of that disclosure names them."""

    recipient = forms.CharField(
        label="Who is this download for, and why?",
        max_length=RECIPIENT_MAX,
        help_text=(
            "For example, 'Professional Standards Department, misconduct investigation 2026/014'. "
            "This is recorded with your name and the search."
        ),
        error_messages={
            "required": "Enter who the download is for and why",
            "max_length": f"Who the download is for must be {RECIPIENT_MAX} characters or fewer",
        },
    )


class VerifyForm(SafeTextMixin, forms.Form):
    """An optional hash kept outside the database from an earlier check: detects a shortened log."""

    expected_hash = forms.CharField(
        label="Last hash from an earlier check (optional)",
        required=False,
        max_length=64,
        help_text="Paste the last hash you kept from an earlier check to find out whether entries were removed since",
        error_messages={"max_length": "The hash must be 64 characters long"},
    )

    def clean_expected_hash(self) -> str:
        value: str = (self.cleaned_data.get("expected_hash") or "").strip().lower()
        if value and not HASH_PATTERN.fullmatch(value):
            raise forms.ValidationError("Enter the hash as 64 letters a to f and digits, as the check showed it")
        return value


class SecurityEventsForm(_DateRange):
    """Narrow the sign-ins and lockouts page by what happened and by dates."""

    action = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[
            ("", "Failed sign-ins, lockouts and break-glass accesses"),
            (AuditAction.SIGN_IN_FAILED.value, "Failed sign-ins"),
            (AuditAction.LOCKOUT.value, "Lockouts"),
            (AuditAction.BREAK_GLASS.value, "Break-glass accesses"),
        ],
        error_messages={"invalid_choice": "Choose what happened from the list"},
    )
    date_from = _date_field("Date from")
    date_to = _date_field("Date to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    @property
    def filters(self) -> AuditFilters:
        action = self.cleaned_data.get("action") or ""
        return AuditFilters(
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
            actions=(action,) if action else (),
        )
