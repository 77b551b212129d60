"""Reviews imported from EasyChair before the import split their text keep no
confidential section in the text the authors read: the data migration moves it
to the chairs' confidential answer, and leaves every other review alone."""

import importlib

import pytest
from django.apps import apps

from reviews.assigning import assign_reviewer
from reviews.models import Review
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "exchange.migrations.0003_easychair_confidential_sections"
)
IMPORTED = (
    "The crossbar numbers are convincing.\n"
    "(CONFIDENTIAL REMARKS FOR THE PROGRAM COMMITTEE)\n"
    "I know the Bremen group (CNN results).\n"
    "(COMMENTS ADDED AFTER REBUTTAL)\n"
    "Thanks for the answer."
)


def review(conference, author, chair, number: int, **answers) -> Review:
    submission = SubmissionFactory(conference=conference, number=number, contact=author)
    reviewer = UserFactory(email=f"r{number}@rev.example.net", role="reviewer")
    assignment, _ = assign_reviewer(submission, reviewer, by=chair, notify=False)
    return ReviewFactory(assignment=assignment, score=1, **answers)


def test_the_confidential_section_moves_to_the_chairs(conference, author, chair):
    leaked = review(conference, author, chair, 1, comments=IMPORTED, confidential="")
    typed = review(conference, author, chair, 2, comments="Plain (GPU) review.")
    before = typed.answers

    migration.move_sections(apps, None)

    leaked.refresh_from_db()
    typed.refresh_from_db()
    assert leaked.answers["comments"] == (
        "The crossbar numbers are convincing.\n"
        "(COMMENTS ADDED AFTER REBUTTAL)\nThanks for the answer."
    )
    assert leaked.answers["confidential"] == "I know the Bremen group (CNN results)."
    assert leaked.answers["score"] == 1
    assert typed.answers == before

    migration.move_sections(apps, None)  # a second run changes nothing
    leaked.refresh_from_db()
    assert leaked.answers["confidential"] == "I know the Bremen group (CNN results)."
