"""Deadlines, uploads, versions, receipts and co-authors, through the services."""

import threading
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from submissions.authors import link_authors
from submissions.deadlines import DeadlinePassed, grant_extension
from submissions.models import (
    DeadlineExtension,
    DeclaredConflict,
    Submission,
    SubmissionSettings,
)
from submissions.submitting import (
    SubmissionData,
    data_of,
    restore_submission,
    save_submission,
    submit_submission,
    withdraw_submission,
)
from submissions.versions import UploadRejected
from tests.factories import UserFactory
from tests.submissions.conftest import BEFORE_DEADLINE, CLOSES_AT, zip_bytes

pytestmark = pytest.mark.django_db


def data(conference, author, **changes) -> SubmissionData:
    fields = {
        "title": "Sparse Training at Scale",
        "abstract": "We train with less energy.",
        "keywords": "sparsity, energy",
        "topics": list(conference.topics.all()[:2]),
        "authors": [
            {"name": author.name, "email": author.email, "affiliation": "Uni A"}
        ],
        "not_accepted_at_main": True,
        "include_in_proceedings": True,
        "conflicts": [("domain", "rival.edu"), ("person", "boss@uni.edu")],
    }
    fields.update(changes)
    return SubmissionData(**fields)


def at(instant: str) -> datetime:
    return datetime.fromisoformat(instant.replace("Z", "+00:00"))


def test_save_draft_without_pdf_numbers_it_and_keeps_everything(conference, author):
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )

    assert submission.number == 1
    assert submission.state == Submission.State.DRAFT
    assert submission.contact == author
    assert submission.current_version is None
    assert [(a.name, a.email, a.user) for a in submission.authors.all()] == [
        (author.name, author.email, author)
    ]
    assert sorted(submission.conflicts.values_list("kind", "value")) == [
        ("domain", "rival.edu"),
        ("person", "boss@uni.edu"),
    ]
    assert data_of(submission).topics == list(conference.topics.all()[:2])


def test_numbers_are_consecutive(conference, author):
    numbers = [
        save_submission(
            None,
            data(conference, author),
            conference=conference,
            by=author,
            at=at(BEFORE_DEADLINE),
        ).number
        for _ in range(3)
    ]
    assert numbers == [1, 2, 3]


def test_submit_without_pdf_is_refused(conference, author):
    with pytest.raises(ValidationError) as error:
        save_submission(
            None,
            data(conference, author),
            conference=conference,
            by=author,
            submit=True,
            at=at(BEFORE_DEADLINE),
        )

    assert "Submitting needs the paper PDF." in error.value.messages
    assert Submission.objects.count() == 0


def test_submit_sends_one_receipt_with_number_times_and_sha(
    conference, author, upload, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = save_submission(
            None,
            data(conference, author),
            conference=conference,
            by=author,
            pdf=upload("good"),
            submit=True,
            at=at("2022-05-28T10:59:59.999999Z"),
        )
    with django_capture_on_commit_callbacks(execute=True):
        submit_submission(submission, by=author, at=at("2022-05-28T10:59:59.999999Z"))

    version = submission.current_version
    assert submission.state == Submission.State.SUBMITTED
    assert len(version.sha256) == 64
    assert [m.to for m in mailoutbox] == [[author.email]]
    body = mailoutbox[0].body
    assert "#1" in mailoutbox[0].subject
    assert "Sparse Training at Scale" in body
    assert "27 May 2022, 23:59:59 UTC-11" in body
    assert "28 May 2022, 10:59:59 UTC" in body
    assert version.sha256 in body
    assert submission.receipts.get().sha256 == version.sha256


def test_upload_keeps_versions_and_reviewer_gets_latest(conference, author, upload):
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        pdf=upload("good"),
        at=at(BEFORE_DEADLINE),
    )
    first = submission.current_version

    submission = save_submission(
        submission,
        data(conference, author),
        conference=conference,
        by=author,
        pdf=upload("good_v2"),
        at=at(BEFORE_DEADLINE),
    )

    assert submission.versions.count() == 2
    assert submission.current_version != first
    assert submission.current_version.sha256 != first.sha256
    assert submission.current_version.reviewer_copy.name.startswith("reviewer-copies/")
    assert submission.current_version.original.name.startswith("papers/")
    assert "Sparse" not in submission.current_version.original.name


def test_rejected_upload_keeps_previous_version_and_text(conference, author, upload):
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        pdf=upload("good"),
        at=at(BEFORE_DEADLINE),
    )
    before = submission.current_version

    with pytest.raises(UploadRejected) as error:
        save_submission(
            submission,
            data(conference, author, title="A new title"),
            conference=conference,
            by=author,
            pdf=upload("too_long"),
            at=at(BEFORE_DEADLINE),
        )

    assert [i.code for i in error.value.report.errors] == ["over_page_limit"]
    assert "The main body has 5 pages; the limit is 4" in error.value.messages[0]
    submission.refresh_from_db()
    assert submission.title == "Sparse Training at Scale"
    assert submission.current_version == before
    assert submission.versions.count() == 1


def test_not_a_pdf_is_rejected_with_message(conference, author):
    fake = SimpleUploadedFile("paper.pdf", b"<html>oops</html>", "application/pdf")

    with pytest.raises(UploadRejected) as error:
        save_submission(
            None,
            data(conference, author),
            conference=conference,
            by=author,
            pdf=fake,
            at=at(BEFORE_DEADLINE),
        )

    assert error.value.report.errors[0].code == "not_pdf"
    assert Submission.objects.count() == 0


def test_too_large_is_refused_before_reading(conference, author, upload):
    settings = SubmissionSettings.objects.for_conference(conference)
    settings.max_bytes = 1000
    settings.save()

    with pytest.raises(UploadRejected) as error:
        save_submission(
            None,
            data(conference, author),
            conference=conference,
            by=author,
            pdf=upload("good"),
            at=at(BEFORE_DEADLINE),
        )

    assert error.value.report.errors[0].code == "too_large"


def test_missing_references_needs_self_declared_body_length(conference, author, upload):
    with pytest.raises(UploadRejected) as error:
        save_submission(
            None,
            data(conference, author),
            conference=conference,
            by=author,
            pdf=upload("no_references"),
            at=at(BEFORE_DEADLINE),
        )
    assert [w.code for w in error.value.report.warnings] == ["references_not_found"]

    submission = save_submission(
        None,
        data(conference, author, main_body_pages=4),
        conference=conference,
        by=author,
        pdf=upload("no_references"),
        at=at(BEFORE_DEADLINE),
    )

    version = submission.current_version
    assert version.is_main_body_self_declared
    assert version.main_body_pages == 4
    assert version.warning_codes == ["references_not_found"]
    assert submission.main_body_pages == 4


@pytest.mark.parametrize(
    ("received", "accepted"),
    [
        ("2022-05-28T10:59:59.999999Z", True),
        ("2022-05-28T11:00:00Z", False),
        ("2022-05-28T11:00:00.000001Z", False),
    ],
)
def test_deadline_boundary(conference, author, frozen, settings, received, accepted):
    settings.TIME_ZONE = "Asia/Tokyo"  # the server's zone plays no part
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )
    frozen(received)

    if accepted:
        save_submission(
            submission,
            data(conference, author, title="Changed"),
            conference=conference,
            by=author,
        )
    else:
        with pytest.raises(DeadlinePassed) as error:
            save_submission(
                submission,
                data(conference, author, title="Changed"),
                conference=conference,
                by=author,
            )
        assert error.value.messages == [
            "The submission deadline has passed: changes were accepted until "
            "27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC). Nothing was "
            "changed."
        ]

    submission.refresh_from_db()
    assert submission.title == ("Changed" if accepted else "Sparse Training at Scale")
    assert not submission.is_late


def test_new_submission_after_deadline_is_refused(conference, author, frozen):
    frozen(CLOSES_AT)
    with pytest.raises(DeadlinePassed):
        save_submission(
            None, data(conference, author), conference=conference, by=author
        )
    assert Submission.objects.count() == 0


def test_extension_moves_one_submissions_deadline(conference, author, chair, frozen):
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )
    other = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )
    frozen("2022-05-29T09:00:00Z")
    extension = grant_extension(
        submission, until=at("2022-05-30T11:00:00Z"), reason="Visa trouble", by=chair
    )

    save_submission(
        submission,
        data(conference, author, title="Extended"),
        conference=conference,
        by=author,
        at=at("2022-05-30T10:59:59.999999Z"),
    )
    with pytest.raises(DeadlinePassed) as error:
        save_submission(
            submission,
            data(conference, author),
            conference=conference,
            by=author,
            at=at("2022-05-30T11:00:00Z"),
        )
    with pytest.raises(DeadlinePassed):
        save_submission(
            other,
            data(conference, author),
            conference=conference,
            by=author,
            at=at("2022-05-29T10:00:00Z"),
        )

    assert "29 May 2022, 11:59 pm UTC-11 (30 May 2022 10:59 UTC)" in str(error.value)
    assert (extension.granted_by, extension.granted_at, extension.reason) == (
        chair,
        at("2022-05-29T09:00:00Z"),
        "Visa trouble",
    )
    submission.refresh_from_db()
    assert (submission.title, submission.is_late) == ("Extended", False)


def test_grace_period_accepts_and_flags_late(conference, author, upload):
    SubmissionSettings.objects.filter(conference=conference).delete()
    SubmissionSettings.objects.create(conference=conference, grace_minutes=10)
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )

    submission = save_submission(
        submission,
        data(conference, author),
        conference=conference,
        by=author,
        pdf=upload("good"),
        submit=True,
        at=at("2022-05-28T11:09:59.999999Z"),
    )
    with pytest.raises(DeadlinePassed):
        withdraw_submission(submission, by=author, at=at("2022-05-28T11:10:00Z"))

    assert submission.is_late
    assert submission.current_version.is_late
    assert submission.receipts.get().is_late


def test_on_time_is_not_late(conference, author):
    SubmissionSettings.objects.create(conference=conference, grace_minutes=10)
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at("2022-05-28T10:59:59Z"),
    )
    assert not submission.is_late


def test_withdraw_and_restore_until_deadline(conference, author):
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )
    Submission.objects.filter(pk=submission.pk).update(
        state="submitted", submitted_at=at(BEFORE_DEADLINE)
    )

    withdrawn = withdraw_submission(submission, by=author, at=at(BEFORE_DEADLINE))
    restored = restore_submission(submission, by=author, at=at(BEFORE_DEADLINE))
    withdraw_submission(submission, by=author, at=at(BEFORE_DEADLINE))
    with pytest.raises(DeadlinePassed):
        restore_submission(submission, by=author, at=at(CLOSES_AT))

    assert withdrawn.state == "withdrawn"
    assert restored.state == "submitted"
    submission.refresh_from_db()
    assert submission.state == "withdrawn"


def test_coauthor_gets_mail_and_sees_submission_after_signing_up(
    conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    authors = [
        {"name": author.name, "email": author.email, "affiliation": "Uni A"},
        {"name": "Cora Coauthor", "email": "Cora@Example.org", "affiliation": ""},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        submission = save_submission(
            None,
            data(conference, author, authors=authors),
            conference=conference,
            by=author,
            at=at(BEFORE_DEADLINE),
        )
        # Saving again sends nothing new.
        save_submission(
            submission,
            data(conference, author, authors=authors),
            conference=conference,
            by=author,
            at=at(BEFORE_DEADLINE),
        )

    assert [m.to for m in mailoutbox] == [["cora@example.org"]]
    assert "#1" in mailoutbox[0].subject
    cora = UserFactory(email="cora@example.org", name="Cora")
    assert link_authors(cora) == 1
    assert list(Submission.objects.visible_to(cora)) == [submission]
    assert cora.has_perm("submissions.change_submission", submission)


def test_login_links_coauthor(client, conference, author, coauthor):
    submission = save_submission(
        None,
        data(
            conference,
            author,
            authors=[
                {"name": "A", "email": author.email},
                {"name": "C", "email": coauthor.email},
            ],
        ),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )
    # Linked at once because the account already existed with a verified address.
    assert submission.authors.get(email=coauthor.email).user == coauthor


def test_removed_author_loses_access(conference, author, coauthor):
    two = [{"name": "A", "email": author.email}, {"name": "C", "email": coauthor.email}]
    submission = save_submission(
        None,
        data(conference, author, authors=two),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )
    save_submission(
        submission,
        data(conference, author, authors=two[:1]),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )

    assert list(Submission.objects.visible_to(coauthor)) == []


def test_supplementary_must_be_pdf_or_zip_within_limit(conference, author):
    zip_file = SimpleUploadedFile("extra.zip", zip_bytes({"data.csv": b"0" * 100}))
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        supplementary=zip_file,
        at=at(BEFORE_DEADLINE),
    )
    assert submission.supplementary.extension == "zip"

    with pytest.raises(ValidationError) as error:
        save_submission(
            submission,
            data(conference, author),
            conference=conference,
            by=author,
            at=at(BEFORE_DEADLINE),
            supplementary=SimpleUploadedFile("x.exe", b"MZ"),
        )
    assert error.value.messages == [
        "Supplementary material must be one PDF or ZIP file."
    ]
    settings = SubmissionSettings.objects.for_conference(conference)
    settings.supplementary_max_bytes = 50
    settings.save()
    with pytest.raises(ValidationError, match="larger than the limit"):
        save_submission(
            submission,
            data(conference, author),
            conference=conference,
            by=author,
            at=at(BEFORE_DEADLINE),
            supplementary=SimpleUploadedFile("extra.zip", b"PK\x03\x04" * 20),
        )


def test_declared_conflict_matches_person_and_domain():
    person = DeclaredConflict(kind="person", value="boss@uni.edu")
    domain = DeclaredConflict(kind="domain", value="uni.edu")

    assert person.matches("Boss@uni.edu")
    assert not person.matches("other@uni.edu")
    assert domain.matches("x@cs.uni.edu")
    assert not domain.matches("x@notuni.edu")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_paper_numbers_are_unique_under_concurrency(conference, author):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent writers")
    numbers, errors = [], []

    def create():
        try:
            numbers.append(
                save_submission(
                    None,
                    data(conference, author),
                    conference=conference,
                    by=author,
                    at=at(BEFORE_DEADLINE),
                ).number
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers) == list(range(1, 13))


def test_extension_log_is_kept(conference, author, chair):
    submission = save_submission(
        None,
        data(conference, author),
        conference=conference,
        by=author,
        at=at(BEFORE_DEADLINE),
    )
    grant_extension(submission, until=at("2022-05-30T11:00:00Z"), by=chair)
    grant_extension(submission, until=at("2022-05-29T11:00:00Z"), by=chair)

    assert DeadlineExtension.objects.filter(submission=submission).count() == 2
    assert submission.closes_at(at(CLOSES_AT)) == at("2022-05-29T11:00:00Z")
