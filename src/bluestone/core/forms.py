"""What every form of Bluestone shares: text-direction controls are removed before any field is cleaned.

Every form class in the project mixes in `SafeTextMixin` (tests/core/test_text_hygiene.py finds any
that does not). Removing the controls before validation, rather than after, means a required field
holding nothing else is still empty, and lengths are counted without them. Password fields are left
as typed: a password is compared, never shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
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
