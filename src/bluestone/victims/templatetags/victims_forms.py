"""Which GOV.UK component renders a form field, for the victims' generic form page."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def field_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def option_id(field: forms.BoundField, index: int) -> str:
    """The id of a radio or checkbox: the field's own for the first, then field-2, field-3..."""
    return field.auto_id if index == 1 else f"{field.auto_id}-{index}"


@register.filter
def is_chosen(field: forms.BoundField, value: object) -> bool:
    current = field.value()
    values = current if isinstance(current, list | tuple) else [current]
    return str(value) in {str(v) for v in values if v is not None}
