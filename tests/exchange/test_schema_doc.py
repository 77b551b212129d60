"""The format is documented: every key of the document has its line in SCHEMA.md,
and an export has exactly the documented keys."""

from pathlib import Path

import pytest

from exchange.exporting import export_conference
from exchange.schema import ALL_KEYS

SCHEMA = Path(__file__).resolve().parents[2] / "exchange" / "SCHEMA.md"


def test_every_key_is_documented():
    text = SCHEMA.read_text()
    assert [key for key in ALL_KEYS if f"`{key}`" not in text] == []


@pytest.mark.django_db
def test_an_export_has_the_documented_keys(conference):
    assert list(export_conference()) == list(ALL_KEYS)
