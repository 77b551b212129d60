"""Form fields that refuse, with a form error, values a page never sends."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# What the database's integer keys hold (PostgreSQL's bigint, SQLite's INTEGER).
KEY_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing a number past 64 bits as any invalid choice is refused.

    Django checks each posted value only by building a query with it, and then
    sends them all to the database in one ``IN``: SQLite raised OverflowError
    (a server error) for a checkbox value tampered into 99999999999999999999."""

    def clean(self, value: Any) -> Any:
        if self.queryset is None:  # Django's own error: no queryset was set
            return super().clean(value)
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        field = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(field, models.IntegerField | models.AutoField):
            for pk in value if isinstance(value, list | tuple) else []:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # Django's own check refuses it
                if number not in KEY_RANGE:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)
