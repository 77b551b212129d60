"""Form widgets shared by every app."""

from typing import Any

from django import forms


class Textarea(forms.Textarea):
    """A <textarea> whose line ends reach the form as the browser counted them.

    A browser counts a line break as one character against the textarea's
    `maxlength`, and sends it as two (CRLF). Django's `max_length` counts what
    was sent, so a text the browser let the person finish at the limit (an
    author's response, a discussion post) came back refused, "at most 5000
    characters (it has 5,032)", for each line they had broken. Here CRLF (and a
    lone CR) become LF before the field sees the text: the server counts as the
    browser did, and every text is stored with one kind of line end. Use it for
    every text area (tests/haet/test_textareas.py looks for others)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str):
            return value.replace("\r\n", "\n").replace("\r", "\n")
        return value
