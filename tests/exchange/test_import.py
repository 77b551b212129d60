"""import_conference: refusals leave everything as it was; --settings-only starts
next year's edition with the same configuration and committee."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.exporting import export_conference
from haet.models import AwardCategory, ImportantDate, Topic, User
from haet.outbox.models import OutboxMail
from reviews.models import Invitation, ReviewQuestion
from submissions.models import Submission
from tests.exchange.test_round_trip import wipe_database

pytestmark = pytest.mark.django_db


def write(tmp_path, document) -> str:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_a_full_import_refuses_a_deployment_that_is_not_empty(
    conference, chair, tmp_path
):
    path = write(tmp_path, export_conference())
    topics = list(Topic.objects.values_list("name", flat=True))

    people = User.objects.count()
    assert people > 0

    with pytest.raises(
        CommandError, match=rf"not empty \({people} people, 0 submissions\)"
    ):
        call_command("import_conference", path, stdout=StringIO())

    assert list(Topic.objects.values_list("name", flat=True)) == topics


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a haet conference export"),
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d.update(surprise=[]), "Unknown sections: surprise"),
        (lambda d: d.update(topics={"x": 1}), "topics is not a list"),
        (lambda d: d["users"].append({"name": "No address"}), "without an email"),
        (lambda d: d["conference"].update(page_limit="four"), "page_limit = 'four'"),
        (
            lambda d: d["dates"][0].update(at="next tuesday"),
            "dates: at = 'next tuesday' is not valid",
        ),
        (
            lambda d: d["submission_versions"][0]["original"].update(path="../../x"),
            "leaves the storage",
        ),
        (
            lambda d: d["authors"][0].update(submission=999),
            "submission 999, which the file does not contain",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_written(
    conference, tmp_path, change, message
):
    from tests.factories import SubmissionFactory

    SubmissionFactory(number=1, uploaded=True)
    document = export_conference()
    change(document)
    path = write(tmp_path, document)
    wipe_database()

    with pytest.raises(CommandError, match=message):
        call_command("import_conference", path, stdout=StringIO())

    assert not User.objects.exists()
    assert not Topic.objects.exists()


def test_an_unreadable_file_is_a_clear_error(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_conference", str(path), stdout=StringIO())


def test_a_file_saved_with_a_byte_order_mark_imports(over, tmp_path):
    # Windows editors save UTF-8 with a BOM; json.loads refused it before.
    document = export_conference()
    path = tmp_path / "export.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
    wipe_database()

    call_command("import_conference", str(path), "--settings-only", stdout=StringIO())

    assert sorted(Topic.objects.values_list("name", flat=True)) == sorted(
        t["name"] for t in document["topics"]
    )


def test_settings_only_starts_next_years_edition(over, tmp_path, mailoutbox):
    document = export_conference()
    path = write(tmp_path, document)
    chairs = sorted(u["email"] for u in document["users"] if "chairs" in u["roles"])
    reviewers = sorted(
        u["email"]
        for u in document["users"]
        if "reviewers" in u["roles"] and "chairs" not in u["roles"]
    )
    wipe_database()

    out = StringIO()
    call_command("import_conference", path, "--settings-only", stdout=out)

    assert Submission.objects.count() == 0
    assert sorted(Topic.objects.values_list("name", flat=True)) == sorted(
        t["name"] for t in document["topics"]
    )
    assert AwardCategory.objects.count() == len(document["awards"])
    assert ImportantDate.objects.count() == len(document["dates"])
    assert ReviewQuestion.objects.count() == len(document["review_questions"])
    assert (
        sorted(
            User.objects.filter(groups__name="chairs").values_list("email", flat=True)
        )
        == chairs
    )
    # Reviewers are asked again: an invitation (and its mail) each, no account.
    assert sorted(Invitation.objects.values_list("email", flat=True)) == reviewers
    assert not User.objects.filter(email__in=reviewers).exists()
    assert OutboxMail.objects.filter(template="reviewer_invitation").count() == len(
        reviewers
    )
    assert f"Invited again: {len(reviewers)} reviewers." in out.getvalue()
    # This year's progress does not carry over.
    again = export_conference()
    assert again["date_changes"] == again["decisions"] == []
    assert all(not a["announced_at"] for a in again["award_settings"])


def test_settings_only_refuses_a_deployment_with_submissions(over, tmp_path):
    path = write(tmp_path, export_conference())
    with pytest.raises(CommandError, match="has 24 submissions"):
        call_command("import_conference", path, "--settings-only", stdout=StringIO())


def test_a_copied_file_that_does_not_match_its_sha256_is_refused(
    conference, tmp_path, settings
):
    from tests.factories import SubmissionFactory

    version = SubmissionFactory(number=1, uploaded=True).current_version
    folder = tmp_path / "files"
    path = write(tmp_path, export_conference(files_dir=folder))
    (folder / version.original.name).write_bytes(b"%PDF-1.7 tampered")
    wipe_database()
    (settings.PRIVATE_STORAGE_ROOT / version.original.name).unlink()

    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command(
            "import_conference", path, "--files", str(folder), stdout=StringIO()
        )

    assert not Submission.objects.exists()
    assert not (settings.PRIVATE_STORAGE_ROOT / version.original.name).exists()
