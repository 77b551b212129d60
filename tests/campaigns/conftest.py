"""A small world for the campaign tests: two submitted submissions and a draft,
authors with and without accounts, reviewers (one review missing), a jury, a
pending invitation, and a chair who co-authors #2 (so is conflicted with it)."""

from dataclasses import dataclass

import pytest

from awards.models import AwardSettings
from haet.models import AwardCategory, User
from reviews.assigning import assign_reviewer
from reviews.models import Invitation
from submissions.models import Submission
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory

DISTINCTIVE_AUTHOR = ("Zoltan Distinctauthor", "zoltan@distinct-lab.example", "Lab Z")


@dataclass
class World:
    chair: User
    conflicted_chair: User
    author: User
    coauthor: User
    reviewer: User
    late_reviewer: User
    juror: User
    first: Submission
    second: Submission
    draft: Submission


@pytest.fixture
def world(conference, chair) -> World:
    conflicted_chair = UserFactory(
        email="cochair@example.org", name="Cleo Conflicted", role="chair"
    )
    author = UserFactory(email="ada@uni-a.example", name="Ada Author")
    coauthor = UserFactory(email="cora@uni-b.example", name="Cora Coauthor")
    first = SubmissionFactory(
        number=1,
        title="Sparse training on FPGAs",
        contact=author,
        authors=[coauthor, DISTINCTIVE_AUTHOR],
    )
    other = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    second = SubmissionFactory(
        number=2,
        title="Energy-aware pruning",
        contact=other,
        authors=[conflicted_chair],
    )
    draft = SubmissionFactory(
        number=3, title="Unfinished draft", state=Submission.State.DRAFT
    )
    reviewer = UserFactory(
        email="rita@rev.example.net", name="Rita Reviewer", role="reviewer"
    )
    late = UserFactory(email="lou@rev2.example.net", name="Lou Late", role="reviewer")
    for submission in (first, second):
        done, _ = assign_reviewer(submission, reviewer, by=chair)
        ReviewFactory(assignment=done, score=1)
        assign_reviewer(submission, late, by=chair)  # no review yet
    juror = UserFactory(email="jules@jury.example", name="Jules Juror")
    award = AwardCategory.objects.filter(conference=conference).first()
    AwardSettings.objects.for_award(award).jury.add(juror)
    Invitation.objects.create(email="ivy@invited.example", name="Ivy Invited")
    return World(
        chair,
        conflicted_chair,
        author,
        coauthor,
        reviewer,
        late,
        juror,
        first,
        second,
        draft,
    )
