"""Issue 15, "One audit log": every write of an audited model is an entry, in the
same transaction, with who, what, the changed values, both clocks and the request;
credentials never reach it."""

import json
import re

import pytest
from django.db import transaction
from django.urls import reverse

from haet import audit
from haet.audit.models import AuditEntry
from haet.jobs import services as jobs
from haet.jobs.services import register_job_kind, start_job
from submissions.models import DeclaredConflict, Submission
from submissions.submitting import withdraw_submission
from tests.factories import PASSWORD, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db
BEFORE_DEADLINE = "2022-05-20T10:00:00Z"


def entries_about(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=obj.pk
        ).order_by("pk")
    )


def everything_logged() -> str:
    return json.dumps(
        list(AuditEntry.objects.values("action", "before", "after", "request_id"))
    )


def test_a_create_an_update_and_a_delete_are_three_entries(conference, chair):
    with audit.acting(chair, request_id="req-1"):
        submission = SubmissionFactory(title="Sparse training", keywords="energy")
        submission.title = "Dense training"
        submission.save()
        submission.save()  # nothing changed: no entry
        number, pk = submission.number, submission.pk
        submission.delete()

    created, updated, deleted = [
        e
        for e in AuditEntry.objects.order_by("pk")
        if e.object_type == "submissions.submission"
    ]
    assert created.action == "submission.created"
    assert created.after["title"] == "Sparse training"
    assert created.before == {}
    assert (created.actor_id, created.request_id, created.submission_id) == (
        chair.pk,
        "req-1",
        pk,
    )
    assert updated.action == "submission.updated"
    assert (updated.before, updated.after) == (
        {"title": "Sparse training"},
        {"title": "Dense training"},
    )
    assert deleted.action == "submission.deleted"
    assert deleted.before["title"] == "Dense training"
    assert deleted.after == {}
    assert number == 1
    assert created.at is not None
    assert created.wall_at is not None


def test_a_rolled_back_change_leaves_no_entry(conference, chair):
    submission = SubmissionFactory()
    before = AuditEntry.objects.count()

    def change_then_fail():
        with transaction.atomic():
            submission.title = "Never saved for good"
            submission.save()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()

    assert AuditEntry.objects.count() == before


def test_the_verb_says_what_happened(conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    submission = SubmissionFactory(contact=author)

    withdraw_submission(submission, by=author)

    last = entries_about(submission)[-1]
    assert last.action == "submission.withdrawn"
    assert last.before["state"] == "submitted"
    assert last.after["state"] == "withdrawn"


def test_a_named_action_names_every_entry_inside(conference, chair):
    submission = SubmissionFactory()

    with audit.action("submission.retitled"):
        submission.title = "Another title"
        submission.save()

    assert entries_about(submission)[-1].action == "submission.retitled"


def test_bulk_created_conflicts_are_logged(conference, author):
    from submissions.submitting import _save_conflicts

    submission = SubmissionFactory(contact=author)

    with audit.acting(author, request_id="r"), transaction.atomic():
        _save_conflicts(
            submission,
            [("person", "x@lab.example"), ("domain", "lab.example")],
            by=author,
            at=submission.created_at,
        )

    conflicts = DeclaredConflict.objects.filter(submission=submission)
    logged = AuditEntry.objects.filter(object_type="submissions.declaredconflict")
    assert sorted(e.object_id for e in logged) == sorted(c.pk for c in conflicts)
    assert {e.action for e in logged} == {"declared_conflict.created"}
    assert {e.submission_id for e in logged} == {submission.pk}


def test_a_request_has_an_id_and_its_entries_carry_it_and_the_actor(
    client, conference, author, frozen
):
    frozen(BEFORE_DEADLINE)
    submission = SubmissionFactory(contact=author, state=Submission.State.SUBMITTED)
    client.force_login(author)

    response = client.post(reverse("submissions:withdraw", args=[submission.number]))

    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    last = entries_about(submission)[-1]
    assert (last.action, last.actor_id, last.request_id) == (
        "submission.withdrawn",
        author.pk,
        request_id,
    )
    assert client.get("/")["X-Request-ID"] != request_id


def test_a_job_writes_as_its_starter(
    conference, chair, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory()

    def retitle(job, progress):
        row = Submission.objects.get(pk=submission.pk)
        row.title = "Retitled by a job"
        row.save()
        return {"summary": ["done"]}

    register_job_kind("tests.audit.retitle", run=retitle, title="Retitle")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = start_job("tests.audit.retitle", by=chair)
    finally:
        jobs._KINDS.pop("tests.audit.retitle")

    last = entries_about(submission)[-1]
    assert last.after == {"title": "Retitled by a job"}
    assert (last.actor_id, last.request_id) == (chair.pk, f"job-{job.pk}")


def test_a_password_change_is_logged_without_the_password(client, author):
    client.force_login(author)
    new = "a brand new passphrase 42"

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert response.status_code == 302
    author.refresh_from_db()
    entry = entries_about(author)[-1]
    assert entry.action == "user.updated"
    assert entry.before == {"password": "[redacted]"}
    assert entry.after == {"password": "[redacted]"}
    logged = everything_logged()
    assert new not in logged
    assert PASSWORD not in logged
    assert author.password not in logged
    assert author.password.split("$")[-1] not in logged


def test_a_reset_mail_is_logged_without_its_link(
    client, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": author.email})

    link = re.search(r"/accounts/password/reset/key/(\S+)/", mailoutbox[0].body)
    assert link is not None
    key = link.group(1)
    mails = AuditEntry.objects.filter(object_type="outbox.outboxmail")
    assert [e.action for e in mails] == ["mail.created"]
    assert mails[0].after["to_email"] == author.email
    assert mails[0].after["is_sensitive"] is True
    logged = everything_logged()
    token = max(key.split("-"), key=len)  # the secret part of "<uid>-<token>"
    assert len(token) >= 20
    assert key not in logged
    assert token not in logged


def test_secret_sounding_fields_are_redacted(conference):
    from haet.audit.chain import append

    entry = append(
        action="test.secret",
        object_type="tests.thing",
        object_id=1,
        submission_id=None,
        before={"api_token": "t0k3n", "session_key": "s3ss"},
        after={"client_secret": "s3cr3t", "title": "kept"},
    )

    assert entry is not None
    assert entry.before == {"api_token": "[redacted]", "session_key": "[redacted]"}
    assert entry.after == {"client_secret": "[redacted]", "title": "kept"}


def test_nothing_is_logged_when_disabled(conference):
    before = AuditEntry.objects.count()
    with audit.disabled():
        UserFactory()
    assert AuditEntry.objects.count() == before


def test_an_upload_is_a_version_entry_on_the_submissions_timeline(conference):
    submission = SubmissionFactory(uploaded=True)

    version = submission.current_version
    [entry] = entries_about(version)
    assert entry.action == "version.created"
    assert entry.submission_id == submission.pk
    assert entry.after["sha256"] == version.sha256
    assert entry.after["check_report"] == {"ok": True, "errors": [], "warnings": []}
    assert entries_about(submission)[-1].after == {"current_version": version.pk}


def test_a_restored_submission_is_logged_as_restored(conference, author, frozen):
    from submissions.submitting import restore_submission

    frozen(BEFORE_DEADLINE)
    submission = SubmissionFactory(contact=author, uploaded=True)
    withdraw_submission(submission, by=author)

    restore_submission(submission, by=author)

    last = entries_about(submission)[-1]
    assert last.action == "submission.restored"
    assert (last.before["state"], last.after["state"]) == ("withdrawn", "submitted")


def test_deleting_rows_loaded_in_part_logs_what_was_loaded(conference):
    from haet.models import User

    person = UserFactory(email="gone@example.org", name="Gone Person")

    User.objects.only("pk", "email").filter(pk=person.pk).delete()

    entry = entries_about(person)[-1]
    assert entry.action == "user.deleted"
    assert entry.before == {"email": "gone@example.org"}
