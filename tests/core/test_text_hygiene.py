"""Every form removes text-direction controls; dates of birth before 1900 or in the future are refused."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms

import bluestone
from bluestone.accounts.forms import SignInForm
from bluestone.core.forms import SafeTextMixin
from bluestone.core.text import (
    BIDI_CONTROLS,
    date_of_birth_problem,
    in_sentence,
    text_problem,
    validate_date_of_birth,
)
from bluestone.portal.report.forms import NameForm, WhatForm
from bluestone.portal.triage.forms import CaseFromReportForm

OVERRIDE = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Smith\u202egpj.exe" shows as "Smithexe.jpg"


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(bluestone.__path__, "bluestone."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "follow_forms"}:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.Form]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("bluestone.") and subclass is not SafeTextMixin:
                found.append(subclass)
    return found


def test_every_form_of_the_project_removes_text_direction_controls() -> None:
    classes = _all_form_classes()
    assert len(classes) > 60  # all of them were found, not none
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, SafeTextMixin))
    assert missing == []


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_free_text_loses_every_bidi_control(control: str) -> None:
    form = WhatForm(data={"what_happened": f"He said{control} it was{control} mine"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["what_happened"] == "He said it was mine"


def test_a_name_loses_an_override_before_it_is_checked() -> None:
    form = NameForm(data={"first_name": f"Jo{OVERRIDE}", "last_name": f"Smith{OVERRIDE}gpj.exe"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["last_name"] == "Smithgpj.exe"
    assert OVERRIDE not in form.cleaned_data["first_name"]


def test_a_field_holding_only_controls_is_empty() -> None:
    form = WhatForm(data={"what_happened": OVERRIDE * 25})
    assert not form.is_valid()
    assert form.errors["what_happened"] == ["Tell us what happened"]


def test_a_prefixed_form_and_a_query_dict_are_cleaned_too() -> None:
    from django.http import QueryDict  # noqa: PLC0415

    data = QueryDict(mutable=True)
    data["p-what_happened"] = f"a{OVERRIDE}b"
    form = WhatForm(data=data, prefix="p")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["what_happened"] == "ab"
    assert data["p-what_happened"] == f"a{OVERRIDE}b"  # the request's own data is left as it came


@pytest.mark.django_db
def test_a_password_is_left_as_typed() -> None:
    form = SignInForm(data={"username": f"amira{OVERRIDE}", "password": f"pass{OVERRIDE}word"})
    assert form.data["username"] == f"amira{OVERRIDE}"  # not yet cleaned
    form.full_clean()
    assert form.data["username"] == "amira"
    assert form.data["password"] == f"pass{OVERRIDE}word"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("born", "error"),
    [
        ("31 12 1899", "A date of birth must be on or after 1 January 1900"),
        ("1 1 2999", "A date of birth must be today or in the past"),
    ],
)
def test_the_triage_form_refuses_an_unbelievable_date_of_birth(born: str, error: str) -> None:
    day, month, year = born.split()
    form = CaseFromReportForm(
        data={"victim_date_of_birth_day": day, "victim_date_of_birth_month": month, "victim_date_of_birth_year": year}
    )
    form.is_valid()
    assert form.errors["victim_date_of_birth"] == [error]


def test_date_of_birth_rules() -> None:
    today = dt.date(2026, 3, 3)
    assert date_of_birth_problem(dt.date(1900, 1, 1), today=today) is None
    assert date_of_birth_problem(today, today=today) is None
    assert date_of_birth_problem(dt.date(1899, 12, 31), today=today) is not None
    assert date_of_birth_problem(dt.date(2026, 3, 4), today=today) is not None
    with pytest.raises(forms.ValidationError):
        validate_date_of_birth(dt.date(1800, 1, 1))


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("O'Brien-Smith", False, False),
        ("محمد", False, False),  # right-to-left script needs no controls
        ("line one\nline two\ttab", True, False),
        ("line one\nline two", False, True),
        ("nul\x00", True, True),
        ("del\x7f", False, True),
        ("c1\x85", False, True),
        ("isolate\u2066x\u2069", False, True),
    ],
)
def test_text_problems(text: str, multiline: bool, refused: bool) -> None:
    assert (text_problem(text, multiline=multiline) is not None) is refused


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Data from a victim's device (PCSCA 2022 s.37)", "data from a victim's device (PCSCA 2022 s.37)"),
        ("ISVA referral", "ISVA referral"),
        ("CPS", "CPS"),
        ("Phone call", "phone call"),
        ("A flat", "a flat"),
        ("", ""),
    ],
)
def test_a_label_reads_mid_sentence_without_losing_its_abbreviations(label: str, expected: str):
    assert in_sentence(label) == expected
