"""`make run STAGE=...` seeds the demo with `seed_haet2022`: a second run on the
same database changes nothing, and two fresh seeds are the same demo (the same
reviewers behind the same pseudonyms, the same reviews submitted)."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction

from haet.seed import STAGE_NOW
from reviews.models import Assignment, Delegation, DiscussionPost
from submissions.models import Submission

pytestmark = pytest.mark.django_db


def seed(settings, stage: str) -> str:
    """What `make seed STAGE=<stage>` runs (its clock, its arguments)."""
    settings.HAET_NOW = STAGE_NOW[stage]
    out = StringIO()
    call_command(
        "seed_haet2022",
        stage=stage,
        papers=24,  # DEMO_PAPERS
        reviewers=12,  # DEMO_REVIEWERS
        reviews=True,
        stdout=out,
    )
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model: submissions, assignments, reviews and drafts, discussion
    posts, decisions, tags, delegations, outbox mails, the audit log and the rest."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def fingerprint() -> list[tuple]:
    """The demo as people see it, without database ids, codes or tokens."""
    submissions = [
        (
            submission.number,
            submission.title,
            submission.state,
            tuple(
                (
                    assignment.pseudonym_index,
                    assignment.reviewer.email,
                    getattr(getattr(assignment, "review", None), "state", None),
                    getattr(getattr(assignment, "review", None), "score", None),
                )
                for assignment in Assignment.objects.filter(submission=submission)
                .select_related("reviewer", "review")
                .order_by("pseudonym_index")
            ),
            tuple(sorted(link.tag.name for link in submission.tag_links.all())),
        )
        for submission in Submission.objects.order_by("number").prefetch_related(
            "tag_links__tag"
        )
    ]
    delegations = sorted(
        Delegation.objects.values_list(
            "assignment__submission__number",
            "assignment__pseudonym_index",
            "email",
            "status",
        )
    )
    posts = sorted(
        DiscussionPost.objects.values_list("submission__number", "author__email")
    )
    return [*submissions, delegations, posts]


@pytest.mark.parametrize("stage", ["review", "decision"])
def test_a_second_seed_changes_nothing(settings, stage):
    output = seed(settings, stage)
    counts = row_counts()
    assert counts["reviews.Review"] > 0, output

    seed(settings, stage)

    after = row_counts()
    assert {k: (v, after[k]) for k, v in counts.items() if after[k] != v} == {}


def test_two_fresh_seeds_are_the_same_demo(settings):
    with transaction.atomic():
        seed(settings, "review")
        first = fingerprint()
        transaction.set_rollback(True)  # back to an empty database
    caches["default"].clear()
    assert not Submission.objects.exists()

    seed(settings, "review")

    assert fingerprint() == first
    # The demo reviewer's dashboard ("n of m reviews submitted") is part of it.
    assert any("reviewer@haet.example" in repr(row) for row in first)
