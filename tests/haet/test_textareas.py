"""Every text area counts line ends as the browser does (haet.widgets.Textarea):
a browser lets a text reach `maxlength` counting a line break as one character
and sends it as two (CRLF), so Django's `max_length` refused what the page had
accepted."""

import importlib
import inspect
import re
from pathlib import Path

from django import forms
from django.conf import settings

from haet.widgets import Textarea
from reviews.forms.reviewing import PostForm

ROOT = Path(settings.BASE_DIR)
APPS = ["haet", "submissions", "reviews", "decisions", "awards", "proceedings",
        "schedule", "campaigns", "exchange", "api"]  # fmt: skip


def project_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "widgets.py":
                continue
            yield path


def test_no_module_uses_django_s_own_textarea():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in project_modules()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\bforms\.Textarea\b|widgets\.Textarea\b", line)
    ]
    assert not found, "Use haet.widgets.Textarea: " + ", ".join(found)


def project_form_fields():
    """(where, field) of every field of every form class of the project, the
    fields a ModelForm makes by itself included."""
    for path in project_modules():
        if "forms" not in path.parts and not path.stem.endswith(("forms", "views")):
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = importlib.import_module(name)
        for _, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != name:
                continue
            for field_name, field in form.base_fields.items():
                yield f"{name}.{form.__name__}.{field_name}", field


def test_every_form_s_text_area_is_ours():
    """Also the fields a ModelForm makes of a model's TextField by itself."""
    wrong = [
        where
        for where, field in project_form_fields()
        if isinstance(field.widget, forms.Textarea)
        and not isinstance(field.widget, Textarea)
    ]
    assert not wrong, "Django's Textarea: " + ", ".join(wrong)


def test_a_text_at_the_limit_with_line_breaks_is_accepted():
    lines = ["x" * 99] * 100  # 100 lines: 9,900 letters and 99 breaks
    text = "\r\n".join(lines) + "y"  # 10,000 as the browser counts, 10,099 sent

    form = PostForm({"body": text})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "\n".join(lines) + "y"
    assert len(form.cleaned_data["body"]) == 10_000
    assert not PostForm({"body": text + "z"}).is_valid()
