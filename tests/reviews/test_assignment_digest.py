"""Issue 14, item 7: deploying a proposal mails each reviewer once, listing their new
submissions (not one mail per assignment), and the chair confirms the counts first."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from haet.jobs.models import Job
from haet.outbox.models import OutboxMail
from reviews.assigning import queue_assignment_digests
from reviews.assignment_runs import compute_run, deploy_run
from reviews.models import Assignment, AssignmentRun
from tests.jobs.helpers import summary_of
from tests.reviews.conftest import LEAK_AFFILIATION, LEAK_EMAIL, LEAK_NAME
from tests.reviews.test_assignment import pool  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(pool, chair):  # noqa: F811
    run = AssignmentRun.objects.create(created_by=chair)
    compute_run(run.pk)
    run.refresh_from_db()
    return run


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_deploy_mails_each_reviewer_once_with_all_their_submissions(
    proposed, chair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = deploy_run(proposed, by=chair)

    per_reviewer = {}
    for assignment in created:
        per_reviewer.setdefault(assignment.reviewer.email, set()).add(
            assignment.submission.number
        )
    assert len(created) == 12
    assert sorted(m.to[0] for m in mailoutbox) == sorted(per_reviewer)
    for mail in mailoutbox:
        numbers = per_reviewer[mail.to[0]]
        listed = {int(n) for n in re.findall(r"^  #(\d+) ", mail.body, re.M)}
        assert listed == numbers
        count = len(numbers)
        assert mail.subject.endswith(
            f"{count} new review assignment{'s' if count > 1 else ''}"
        )


def test_the_digest_is_queued_once_per_reviewer_and_run(
    proposed, chair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = deploy_run(proposed, by=chair)
    with django_capture_on_commit_callbacks(execute=True):
        again = queue_assignment_digests(created, run=proposed)  # a retry

    reviewers = {a.reviewer_id for a in created}
    assert again == 0
    assert len(mailoutbox) == len(reviewers)
    assert OutboxMail.objects.filter(template="assignment_digest").count() == len(
        reviewers
    )


def test_the_digest_never_names_the_authors(proposed, chair, author):
    deploy_run(proposed, by=chair)

    for mail in OutboxMail.objects.filter(template="assignment_digest"):
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
        for secret in (LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION, author.name):
            assert secret not in text
        assert "Reviewer " in mail.body_text  # their pseudonym, per submission


def test_the_run_page_asks_to_confirm_the_counts(proposed, chair, login):
    client = login(chair)
    reviewers = len({r for _, r, _ in proposed.result["pairs"]})

    page = client.get(reverse("reviews:run", args=[proposed.pk]))
    refused = client.post(
        reverse("reviews:run", args=[proposed.pk]), {"action": "deploy"}
    )

    assert page.context["mail_count"] == reviewers
    assert (
        f"Create 12 assignments and send {reviewers} mails, one to each reviewer "
        "listing their new submissions"
    ) in page.text
    assert texts(refused) == [
        "Nothing was deployed: tick the box with the numbers of assignments and "
        "mails to confirm."
    ]
    assert Assignment.objects.count() == 0
    proposed.refresh_from_db()
    assert proposed.status == AssignmentRun.Status.DONE


@pytest.mark.parametrize("persona", ["anonymous", "author", "reviewer", "chair"])
def test_deploy_by_persona(
    proposed,
    chair,
    author,
    make_reviewer,
    login,
    persona,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    user = {
        "anonymous": None,
        "author": author,
        "reviewer": make_reviewer("someone@lab9.example.net"),
        "chair": chair,
    }[persona]
    client = login(user)

    with django_capture_on_commit_callbacks(execute=True):  # the deploy job
        response = client.post(
            reverse("reviews:run", args=[proposed.pk]),
            {"action": "deploy", "confirm": "12"},
        )

    if persona == "chair":
        assert summary_of(response)[0].startswith("Deployed: 12 new assignments")
        assert Assignment.objects.count() == 12
        return
    assert not Job.objects.exists()
    if persona == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == 404
    assert Assignment.objects.count() == 0
