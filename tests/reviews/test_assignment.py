"""Automatic assignment end to end, affinity, deploy rules and assignment mails."""

import pytest
from django.urls import reverse

from haet.models import User
from haet.outbox.models import OutboxMail
from reviews.affinity import compute_affinity
from reviews.affinity_upload import upload_affinity
from reviews.assigning import assign_reviewer
from reviews.assignment_runs import compute_run, deploy_run
from reviews.declared_conflicts import declare_conflict
from reviews.models import (
    Assignment,
    AssignmentRun,
    Bid,
    Review,
    ReviewerProfile,
    ReviewSettings,
)
from reviews.tasks import run_assignment
from submissions.models import Submission
from tests.factories import SubmissionFactory
from tests.jobs.helpers import job_of, summary_of
from tests.reviews.conftest import LEAK_AFFILIATION, LEAK_EMAIL, LEAK_NAME

pytestmark = pytest.mark.django_db


def test_affinity_weights_bid_topic_and_text(conference, author, make_reviewer, topics):
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Sparse training on FPGAs",
        topics=topics[:2],
    )
    reviewer = make_reviewer("w@far.example.net")
    profile = ReviewerProfile.objects.create(
        user=reviewer, own_publications="unrelated"
    )
    profile.topics.set(topics[:1])
    Bid.objects.create(
        reviewer=reviewer,
        submission=submission,
        value="eager",
        updated_at="2022-05-30T00:00:00Z",
    )
    settings = ReviewSettings(weight_bid=2.0, weight_topic=1.0, weight_text=0.0)

    affinity = compute_affinity(
        [submission], [reviewer], review_settings=settings, source="computed"
    )

    assert affinity.total.tolist() == [[2.0 * 1.0 + 1.0 * 0.5]]


@pytest.fixture
def pool(conference, author, make_reviewer, chair, topics):
    """Four submissions (one by a distinctive co-author), five reviewers."""
    submissions = [
        SubmissionFactory(
            conference=conference,
            number=n,
            contact=author,
            authors=[(LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION)] if n == 1 else [],
            title=title,
            topics=topics[n % 3 : n % 3 + 1],
        )
        for n, title in enumerate(
            [
                "Sparse training on FPGAs",
                "Energy models of GPU training",
                "Quantized transformers for edge devices",
                "Equilibrium propagation in analog hardware",
            ],
            start=1,
        )
    ]
    reviewers = [make_reviewer(f"r{n}@lab{n}.example.net") for n in range(5)]
    for reviewer in reviewers:
        ReviewerProfile.objects.create(user=reviewer, max_assignments=3)
    return submissions, reviewers


def propose(client, **data):
    response = client.post(reverse("reviews:runs"), data)
    return AssignmentRun.objects.get(
        pk=int(response["Location"].rstrip("/").split("/")[-1])
    )


def test_propose_inspect_deploy(
    pool, chair, client, django_capture_on_commit_callbacks, mailoutbox
):
    submissions, reviewers = pool
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        run = propose(client, affinity_source="computed")
    run.refresh_from_db()
    page = client.get(reverse("reviews:run", args=[run.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        deployed = client.post(
            reverse("reviews:run", args=[run.pk]), {"action": "deploy", "confirm": "12"}
        )

    assert run.status == AssignmentRun.Status.DONE
    assert len(run.result["pairs"]) == 4 * 3
    html = page.content.decode()
    assert "12</strong> new assignments" in html
    assert [row["submission"].number for row in page.context["rows"]] == [1, 2, 3, 4]
    reviewer_count = User.objects.filter(groups__name="reviewers").count()
    assert sum(count for _, count in page.context["histogram"]) == reviewer_count
    # Deploying is a background job (issue 14, item 10), done before the redirect
    # under eager Celery; its page says what it did and links the assignments.
    assert summary_of(deployed)[0].startswith("Deployed: 12 new assignments; ")
    assert job_of(deployed).result["link"]["url"] == reverse("reviews:assignments")
    assert Assignment.objects.count() == 12
    assert sorted(
        Assignment.objects.filter(submission=submissions[0]).values_list(
            "pseudonym_index", flat=True
        )
    ) == [1, 2, 3]
    assert max(Assignment.objects.filter(reviewer=r).count() for r in reviewers) <= 3
    # One mail per reviewer, listing their new submissions (issue 14, item 7).
    assigned = set(Assignment.objects.values_list("reviewer_id", flat=True))
    assert not OutboxMail.objects.filter(template="assignment").exists()
    assert set(
        OutboxMail.objects.filter(template="assignment_digest").values_list(
            "dedupe_key", flat=True
        )
    ) == {f"assignment-digest:{run.pk}:{pk}" for pk in assigned}
    assert len(mailoutbox) == len(assigned) < 12


def test_assignment_mails_never_name_the_authors(pool, chair, mailoutbox):
    submissions, reviewers = pool

    assign_reviewer(submissions[0], reviewers[0], by=chair)

    mail = OutboxMail.objects.get(template="assignment")
    for part in (mail.subject, mail.body_text, mail.body_html):
        for secret in (LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION, "Ada Author"):
            assert secret not in part
    assert "Sparse training on FPGAs" in mail.body_text


def test_the_solver_never_assigns_a_conflict_and_keeps_existing(pool, chair):
    submissions, reviewers = pool
    declare_conflict(submissions[0], reviewers[0], source="chair_added", by=chair)
    kept, _ = assign_reviewer(submissions[1], reviewers[4], by=chair)
    Review.objects.create(assignment=kept)
    run = AssignmentRun.objects.create(created_by=chair)

    compute_run(run.pk)
    run.refresh_from_db()
    deploy_run(run, by=chair)

    assert not Assignment.objects.filter(
        submission=submissions[0], reviewer=reviewers[0]
    ).exists()
    assert Assignment.objects.filter(pk=kept.pk).exists()
    assert [reviewers[4].pk] in [[r] for _, r, _ in run.result["kept"]]
    assert Assignment.objects.count() == 12


def test_unfilled_submissions_are_listed_with_a_reason(pool, chair, client):
    submissions, _ = pool
    ReviewerProfile.objects.update(max_assignments=1)
    ReviewSettings.objects.filter(conference=submissions[0].conference).update(
        default_max_load=1
    )
    run = AssignmentRun.objects.create(created_by=chair)

    compute_run(run.pk)
    run.refresh_from_db()
    client.force_login(chair)
    page = client.get(reverse("reviews:run", args=[run.pk]))

    reviewer_count = User.objects.filter(groups__name="reviewers").count()
    assert len(run.result["pairs"]) == reviewer_count < 12
    assert run.result["unfilled"]
    assert "cannot be filled" in page.content.decode()


def test_the_task_is_idempotent(pool, chair):
    run = AssignmentRun.objects.create(created_by=chair)

    first = run_assignment(run.pk)
    second = run_assignment(run.pk)

    assert (first, second) == ("done", None)


def test_deploy_twice_creates_nothing_more(pool, chair):
    run = AssignmentRun.objects.create(created_by=chair)
    compute_run(run.pk)
    run.refresh_from_db()
    deploy_run(run, by=chair)

    with pytest.raises(Exception, match="Only a finished"):
        deploy_run(run, by=chair)

    assert Assignment.objects.count() == 12


def test_uploaded_affinity_steers_the_assignment(pool, chair):
    submissions, reviewers = pool
    settings = ReviewSettings.objects.for_conference(submissions[0].conference)
    settings.reviewers_per_submission = 1
    settings.save()
    rows = "\n".join(
        f"{s.number},{r.email},{1.0 if i == j else 0.0}"
        for i, s in enumerate(submissions)
        for j, r in enumerate(reviewers)
    )
    upload_affinity(rows, by=chair)
    run = AssignmentRun.objects.create(
        created_by=chair, params={"affinity_source": "uploaded"}
    )

    compute_run(run.pk)
    run.refresh_from_db()

    assert sorted((s, r) for s, r, _ in run.result["pairs"]) == [
        (s.pk, r.pk) for s, r in zip(submissions, reviewers, strict=False)
    ]


def test_deploy_skips_pairs_made_stale_since_the_proposal(pool, chair):
    run = AssignmentRun.objects.create(created_by=chair)
    compute_run(run.pk)
    run.refresh_from_db()
    proposed = [(s, r) for s, r, _ in run.result["pairs"]]
    first_submission, first_reviewer = proposed[0]
    declare_conflict(
        Submission.objects.get(pk=first_submission),
        User.objects.get(pk=first_reviewer),
        source="chair_added",
        by=chair,
    )

    created = deploy_run(run, by=chair)

    assert len(created) == len(proposed) - 1
    assert not Assignment.objects.filter(
        submission_id=first_submission, reviewer_id=first_reviewer
    ).exists()
