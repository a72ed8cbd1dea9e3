"""What every form of Bluestone shares: text-direction controls are removed before any field is cleaned.

Every form class in the project mixes in `SafeTextMixin` (tests/core/test_text_hygiene.py finds any
that does not). Removing the controls before validation, rather than after, means a required field
holding nothing else is still empty, and lengths are counted without them. Password fields are left
as typed: a password is compared, never shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from bluestone.core.text import BIDI_CONTROLS, without_bidi_controls


class SafeTextMixin(forms.BaseForm):
    """Mix into a form, before `forms.Form`: bound data loses its bidirectional controls."""

    def full_clean(self) -> None:
        if self.is_bound:
            self.data = self._without_bidi_controls(self.data)
        super().full_clean()

    def _without_bidi_controls(self, data: Any) -> Any:
        keep = {
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.PasswordInput)
        }

        def clean(key: str, value: Any) -> Any:
            if key in keep:
                return value
            if isinstance(value, str):
                return without_bidi_controls(value)
            if isinstance(value, list):
                return [without_bidi_controls(v) if isinstance(v, str) else v for v in value]
            return value

        if isinstance(data, MultiValueDict):
            if not any(c in str(value) for _key, values in data.lists() for value in values for c in BIDI_CONTROLS):
                return data
            cleaned = data.copy()
            for key, values in data.lists():
                cleaned.setlist(key, clean(key, list(values)))
            return cleaned
        return {key: clean(key, value) for key, value in dict(data).items()}


# --- Dates ---------------------------------------------------------------------------------------
# One pattern for every date a person types: the GOV.UK date input (day, month and year in three
# boxes), one hint and one set of error messages. A date is never typed as text in one box, so the
# page can never fill a box with a date it would then refuse ("3 Dec 2026").

DATE_HINT = "For example, 27 3 2026"


class GovukDateWidget(forms.MultiWidget):
    """Three boxes, day, month and year, named `<field>_day`, `<field>_month` and `<field>_year`."""

    template_name = "core/widgets/govuk_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        parts: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(numeric) for part in ("day", "month", "year")
        }
        super().__init__(parts, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        # The label and the error summary point at the day box, as GOV.UK's date input does.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["has_error"] = bool(attrs and attrs.get("aria-invalid"))
        for subwidget, part in zip(context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True):
            subwidget["part"] = part
        return context


class GovukDateField(forms.MultiValueField):
    """A date from the three boxes of the GOV.UK date input, with GOV.UK's error wording:
    "Enter the due date", "The due date must include a month", "The due date must be a real date"."""

    widget = GovukDateWidget

    def __init__(self, *, label: str, what: str, required: bool = True, help_text: str = DATE_HINT) -> None:
        self.what = what
        parts = [forms.CharField(required=False, max_length=4) for _ in range(3)]
        super().__init__(
            fields=parts,
            label=label,
            required=required,
            require_all_fields=False,
            help_text=help_text,
            error_messages={"required": f"Enter {what}", "incomplete": f"Enter {what}"},
        )

    def _sentence(self) -> str:
        return self.what[:1].upper() + self.what[1:]

    def clean(self, value: Any) -> dt.date | None:
        parts = [str(p).strip() if p is not None else "" for p in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter {self.what}", code="required")
            return None
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{self._sentence()} must include a {' and a '.join(missing)}", code="incomplete")
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:  # noqa: PLR2004
            raise ValidationError(f"{self._sentence()} must be a real date", code="invalid")
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(f"{self._sentence()} must be a real date", code="invalid") from None

    def compress(self, data_list: list[Any]) -> Any:  # clean() above does the work
        return data_list

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True


def date_field(label: str, *, required: bool = True, what: str = "") -> GovukDateField:
    """A date question: `what` names it in errors ("the date bail starts")."""
    return GovukDateField(label=label, what=what or label.lower(), required=required)
