"""The reviewing world: submission #1 (with a distinctive co-author) has a reviewer
copy and supplementary material, `reviewer` is assigned, and `second` (another
reviewer) has submitted a review. The clock stands during the review period."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from haet import clock
from reviews.models import ReviewSettings
from reviews.reviewing import reminders
from reviews.reviewing.services import save_review
from reviews.services import assign_reviewer, declare_conflict
from submissions.models import PaperVersion, SupplementaryFile
from tests.conftest import make_user

REVIEW_TIME = "2022-06-05T12:00:00Z"
# The HAET review deadline, 8 June 2022 23:59 UTC-11, is open to its last minute.
REVIEW_CLOSES_AT = "2022-06-09T11:00:00Z"
SECOND_NAME = "Sigrid Secondperson"
SECOND_EMAIL = "sigrid@second-lab.example.net"


def answers(**changes) -> dict:
    """A complete review under the default form."""
    return {
        "score": 2,
        "confidence": 4,
        "summary": "The submission trains sparse transformers on FPGAs.",
        "strengths": "Clear energy measurements.",
        "weaknesses": "One benchmark only.",
        "comments": "Please add a second benchmark.",
        "confidential": "Borderline for me; happy to be convinced.",
        "nominations": [],
        **changes,
    }


@pytest.fixture(autouse=True)
def _registered():
    """What the reviews AppConfig.ready does once it calls
    reviews.reviewing.reminders.register (idempotent)."""
    reminders.register()


@pytest.fixture
def during_review(frozen):
    frozen(REVIEW_TIME)


def attach_files(submission) -> PaperVersion:
    """A reviewer copy and a supplementary file, written straight to storage (the
    leak tests go through the real upload)."""
    data = b"%PDF-1.4 reviewer copy\n%%EOF\n"
    version = PaperVersion(
        submission=submission,
        original_filename="original-name.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        uploaded_by=submission.contact,
        uploaded_at=clock.now(),
    )
    version.original.save("x.pdf", ContentFile(data), save=False)
    version.reviewer_copy.save("x.pdf", ContentFile(data + b"copy"), save=False)
    version.save()
    supplementary = SupplementaryFile(
        submission=submission,
        original_filename="supplement-name.zip",
        sha256="0" * 64,
        size=4,
        uploaded_by=submission.contact,
        uploaded_at=clock.now(),
    )
    supplementary.file.save("s.zip", ContentFile(b"PK.."), save=False)
    supplementary.reviewer_copy.save("s.zip", ContentFile(b"PK..copy"), save=False)
    supplementary.save()
    submission.current_version = version
    submission.supplementary = supplementary
    submission.save()
    return version


class Reviewing:
    def __init__(self, world):
        self.world = world
        self.submission = world.submission
        self.chair = world.chair
        self.reviewer = world.reviewer
        self.assignment = world.assignment
        attach_files(self.submission)
        self.second = make_user(SECOND_EMAIL, name=SECOND_NAME, role="reviewer")
        self.second_assignment, _ = assign_reviewer(
            self.submission, self.second, by=world.chair, notify=False
        )
        self.second_review = save_review(
            self.second_assignment,
            answers(score=-1, summary="Second opinion: needs more work."),
            by=self.second,
            submit=True,
        )
        self.settings = ReviewSettings.objects.for_conference(world.conference)
        self.settings.is_discussion_open = True
        self.settings.save()

    def conflict_later(self):
        """A conflict found after the assignment (the chair records it)."""
        declare_conflict(
            self.submission,
            self.reviewer,
            source="chair_added",
            reason="Former student of an author",
            by=self.chair,
        )


@pytest.fixture
def reviewing(world, during_review):
    return Reviewing(world)
