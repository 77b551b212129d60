"""A refused form keeps what was typed (the developers' guide: "a form error keeps
what was typed"), on every chair settings page of tests/test_forms_roundtrip.py.

For each of its forms, the chair types a new text into every free text field
(text inputs without a pattern, email inputs, text areas) and empties one
required field, so the form must be refused: the page comes back (not a
redirect) with an error, every text typed is on it, in its field, and nothing
was written. Each required field is emptied in turn."""

from html import unescape

import lxml.html
import pytest
from django.urls import reverse

from tests.test_forms_roundtrip import (
    SETTINGS_PAGES,
    browser_values,
    dump,
    forms_to_send,
    seeded,  # noqa: F401 (the fixture)
)

pytestmark = pytest.mark.django_db

TEXT_TYPES = {"text", "email", "search", ""}


def typed_fields(form) -> list[tuple[str, str]]:
    """(name, kind) of the fields a chair types free text into."""
    fields = []
    for element in form.inputs:
        name = element.get("name")
        if not name or "disabled" in element.attrib or "readonly" in element.attrib:
            continue
        if element.tag == "textarea":
            fields.append((name, "textarea"))
        elif element.tag == "input":
            kind = (element.get("type") or "").lower()
            if kind in TEXT_TYPES and not element.get("pattern"):
                fields.append((name, "email" if kind == "email" else "text"))
    return fields


def required_fields(form) -> list[str]:
    return [
        element.get("name")
        for element in form.inputs
        if element.get("name")
        and "required" in element.attrib
        and "disabled" not in element.attrib
        and element.tag in ("input", "textarea")
        and (element.get("type") or "text").lower()
        in TEXT_TYPES | {"number", "date", "time", "url", "datetime-local"}
    ]


def marker(name: str, kind: str, index: int) -> str:
    if kind == "email":
        return f"kept{index}@typed.example"
    return f"Typed text {index} for {name}"


def shown_value(html: str, name: str) -> str | None:
    document = lxml.html.fromstring(html)
    found = document.xpath(f"//*[@name='{name}']")
    if not found:
        return None
    element = found[0]
    if element.tag == "textarea":
        return (element.text or "").lstrip("\n")
    return element.get("value") or ""


def test_every_refused_chair_form_keeps_what_was_typed(seeded):  # noqa: F811
    client = seeded
    refused = 0
    for name, arguments, action in SETTINGS_PAGES:
        for kwargs in arguments():
            url = reverse(name, kwargs=kwargs)
            html = client.get(url).content.decode()
            for target, form in forms_to_send(url, html, action):
                values = browser_values(form)
                typed = typed_fields(form)
                for emptied in required_fields(form):
                    data: dict[str, list[str]] = {}
                    for key, value in values:
                        data.setdefault(key, []).append(value)
                    markers = {}
                    for index, (field, kind) in enumerate(typed):
                        if field != emptied and len(data.get(field, [])) <= 1:
                            markers[field] = marker(field, kind, index)
                            data[field] = [markers[field]]
                    data[emptied] = [""]
                    before = dump()

                    response = client.post(target, data)

                    where = f"{url} with {emptied} emptied"
                    assert response.status_code == 200, f"{where}: not refused"
                    page = unescape(response.content.decode())
                    for field, text in markers.items():
                        assert shown_value(page, field) == text, (
                            f"{where}: {field} lost what was typed"
                        )
                    assert dump() == before, f"{where}: a refused form wrote"
                    refused += 1
    assert refused >= 10  # the pages do have required fields to empty
