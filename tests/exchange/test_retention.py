"""Retention: the policy, the preview (what this chair may see), the purge as a
job after the purge date, and the pages once files are purged."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import Decision
from exchange.retention import policy_for, preview, purge, purge_date, start_purge
from haet import clock
from haet.jobs.models import Job
from submissions.models import SubmissionVersion, private_storage
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

BEFORE = "2022-12-01T12:00:00Z"
AFTER = "2023-02-01T12:00:00Z"  # six months after the workshop (23 July 2022)


def decide(submission, outcome, chair):
    Decision.objects.create(
        submission=submission,
        outcome=outcome,
        set_by=chair,
        set_at=clock.now(),
        released_at=clock.now(),
    )


@pytest.fixture
def files(conference, chair, author):
    withdrawn = SubmissionFactory(contact=author, state="withdrawn", with_pdf=True)
    rejected = SubmissionFactory(contact=author, with_pdf=True)
    accepted = SubmissionFactory(contact=author, with_pdf=True)
    decide(rejected, "reject", chair)
    decide(accepted, "accept_poster", chair)
    policy = policy_for(conference)
    policy.months_after_workshop = 6
    policy.save()
    return {"withdrawn": withdrawn, "rejected": rejected, "accepted": accepted}


def listed(items):
    return [(i.submission_number, i.what, i.why) for i in items]


def test_the_preview_lists_rejected_and_withdrawn_files_and_every_reviewer_copy(
    files, chair
):
    w, r, a = (files[k].number for k in ("withdrawn", "rejected", "accepted"))

    items = preview(policy_for(files["accepted"].conference), viewer=chair)

    assert listed(items) == [
        (w, "paper", "withdrawn"),
        (w, "reviewer copy", "withdrawn"),
        (r, "paper", "rejected"),
        (r, "reviewer copy", "rejected"),
        (a, "reviewer copy", "reviewer copies are purged"),
    ]


def test_a_conflicted_chair_does_not_see_their_own_submission_in_the_preview(
    files, chair
):
    own = SubmissionFactory(contact=chair, state="withdrawn", with_pdf=True)

    items = preview(policy_for(own.conference), viewer=chair)

    assert own.number not in [i.submission_number for i in items]
    assert own.title not in [i.title for i in items]


def test_the_purge_is_refused_before_the_purge_date(files, chair, frozen):
    frozen(BEFORE)
    policy = policy_for(files["accepted"].conference)
    assert purge_date(policy).date().isoformat() == "2023-01-23"

    with pytest.raises(ValidationError, match="kept until 23 January 2023"):
        start_purge(policy, by=chair)
    assert SubmissionVersion.objects.filter(purged_at__isnull=False).count() == 0


def test_the_purge_job_removes_the_files_and_leaves_a_note(
    client, files, chair, author, frozen, django_capture_on_commit_callbacks
):
    frozen(AFTER)
    rejected = files["rejected"].current_version
    accepted = files["accepted"].current_version
    names = [rejected.original.name, rejected.reviewer_copy.name]
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:retention-purge"))

    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert "Purged 5 files" in job.result["summary"][0]
    from haet.audit.models import AuditEntry

    logged = AuditEntry.objects.filter(action="retention.file_purged")
    assert sorted(logged.values_list("after__what", flat=True)) == [
        "paper",
        "paper",
        "reviewer copy",
        "reviewer copy",
        "reviewer copy",
    ]
    rejected.refresh_from_db()
    accepted.refresh_from_db()
    assert (rejected.original.name, rejected.reviewer_copy.name) == ("", "")
    assert rejected.purged_at == clock.now()
    assert not any(private_storage.exists(name) for name in names)
    assert accepted.original.name
    assert not accepted.reviewer_copy.name
    assert preview(policy_for(files["accepted"].conference), viewer=chair) == []
    # Run again: nothing left to purge, nothing fails.
    assert purge(policy_for(files["accepted"].conference), by=chair) == 0

    # The pages say the file was purged, and its link is a 404, never a 500.
    number = files["rejected"].number
    client.force_login(author)
    page = client.get(reverse("submissions:detail", args=[number])).content.decode()
    assert "purged on 1 Feb 2023" in page
    assert client.get(reverse("submissions:paper", args=[number])).status_code == 404
    client.force_login(chair)
    chair_page = client.get(reverse("submissions:chair-detail", args=[number]))
    assert chair_page.status_code == 200
    assert "purged on 1 Feb 2023" in chair_page.content.decode()


def test_the_retention_page_saves_the_policy_and_keeps_bad_input(
    client, conference, chair
):
    client.force_login(chair)

    bad = client.post(
        reverse("exchange:retention"),
        {"months_after_workshop": "six", "purge_rejected": "on"},
    )

    assert bad.status_code == 400
    assert 'value="six"' in bad.content.decode()
    assert "Enter a whole number." in bad.content.decode()

    client.post(
        reverse("exchange:retention"),
        {"months_after_workshop": "3", "purge_withdrawn": "on"},
    )

    policy = policy_for(conference)
    assert (policy.months_after_workshop, policy.purge_rejected) == (3, False)
    assert policy.purge_withdrawn


@pytest.mark.parametrize("name", ["exchange:retention", "exchange:retention-purge"])
def test_only_chairs_reach_retention(client, conference, author, reviewer, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    for person in (author, reviewer, UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_the_retention_preview_query_count_is_constant(
    client, conference, chair, author
):
    url = reverse("exchange:retention")
    client.force_login(chair)

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return len(queries), len(response.context["items"])

    decide(SubmissionFactory(contact=author, with_pdf=True), "reject", chair)
    client.get(url)  # warm the per-request caches
    one = measure()
    for _ in range(3):
        decide(SubmissionFactory(contact=author, with_pdf=True), "reject", chair)
    four = measure()

    assert (one[1], four[1]) == (2, 8)
    assert one[0] == four[0]
