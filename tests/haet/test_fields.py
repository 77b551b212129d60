"""Checkbox lists of model rows (topics) refuse a tampered number past 64 bits
as an invalid choice: Django's own field sent it to the database, where SQLite
(`make run`'s database) raised OverflowError, a server error. Found by posting
bad values into the fields of the demo's forms."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from haet.fields import ModelMultipleChoiceField
from haet.models import Topic
from tests.haet.test_textareas import project_form_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["99999999999999999999", str(2**63), str(-(2**63) - 1), "1e30"]
)
def test_a_number_past_64_bits_is_an_invalid_choice(conference, value):
    field = ModelMultipleChoiceField(queryset=Topic.objects.all())
    topic = Topic.objects.first()

    with pytest.raises(ValidationError) as refused:
        field.clean([str(topic.pk), value])

    assert refused.value.code == "invalid_pk_value"


def test_real_choices_still_clean(conference):
    field = ModelMultipleChoiceField(queryset=Topic.objects.order_by("pk"))
    topics = list(Topic.objects.order_by("pk")[:2])

    assert list(field.clean([str(t.pk) for t in topics])) == topics


def test_every_form_s_model_checkboxes_are_ours():
    """Also those a ModelForm makes of a many-to-many field by itself."""
    wrong = [
        where
        for where, field in project_form_fields()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, ModelMultipleChoiceField)
    ]
    assert not wrong, "Use haet.fields.ModelMultipleChoiceField: " + ", ".join(wrong)
