"""Issue 18: export → import into a fresh database → export gives the same JSON."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from exchange.exporting import dumps, export_conference
from exchange.importing import import_conference
from haet.audit.chain import seal_pending, verify
from haet.audit.models import AuditEntry
from haet.models import User
from reviews.models import Review
from submissions.models import Submission, SubmissionVersion

pytestmark = pytest.mark.django_db


def wipe_database() -> None:
    """Every row of every table, as a fresh deployment (rolled back with the test)."""
    # PostgreSQL's TRUNCATE refuses a table with pending (deferred) foreign-key
    # checks: run them now, as Django's TestCase does. On SQLite (DELETEs) this
    # checks the keys too, so both back ends start the flush from a valid state.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)


def test_a_round_trip_through_a_fresh_database_gives_the_same_json(
    every_section, tmp_path
):
    seal_pending()  # as after the requests that wrote the demo committed
    out = tmp_path / "haet.json"
    call_command("export_conference", "--out", str(out), stdout=StringIO())
    first = out.read_text()
    document = json.loads(first)
    # The demo is all there: a real test, not two empty documents.
    assert len(document["submissions"]) == Submission.objects.count() > 20
    assert len(document["reviews"]) == Review.objects.count() > 20
    empty = sorted(k for k, v in document.items() if isinstance(v, list) and not v)
    assert empty == ["custom_forms"], ", ".join(empty)
    assert len(document["audit_log"]) == AuditEntry.objects.count() > 100
    assert any(row["mail_submissions"] for row in document["audit_log"])
    number = document["submissions"][0]["number"]

    wipe_database()
    assert not User.objects.exists()
    call_command("import_conference", str(out), stdout=StringIO())
    again = tmp_path / "again.json"
    call_command("export_conference", "--out", str(again), stdout=StringIO())

    assert again.read_text() == first
    assert verify() == (len(document["audit_log"]), None)
    assert Submission.objects.get(number=number).current_version is not None


def test_files_travel_with_the_json_and_are_checked(over, tmp_path, settings):
    folder = tmp_path / "files"
    document = export_conference(files_dir=folder)
    version = SubmissionVersion.objects.order_by("pk").first()
    stored = version.original.name
    assert (folder / stored).read_bytes() == version.original.read()

    wipe_database()
    storage_root = settings.PRIVATE_STORAGE_ROOT
    (storage_root / stored).unlink()  # a new deployment's storage lacks the file
    summary = import_conference(document, files_dir=folder)

    assert summary.missing_files == []
    assert (storage_root / stored).read_bytes() == (folder / stored).read_bytes()
    assert dumps(export_conference()) == dumps(document)
