"""The draft reminder registered with the outbox, and the demo seed."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command

from haet.models import User
from haet.outbox import reminders
from submissions.models import Author, DeadlineExtension, Submission
from submissions.reminders import draft_authors

pytestmark = pytest.mark.django_db


def test_draft_reminder_is_registered():
    registered = reminders.REGISTRY["submission_draft"]

    assert registered.reminder.offsets == (
        timedelta(days=-7),
        timedelta(days=-1),
        timedelta(hours=-3),
    )
    assert registered.template == "submission_draft_reminder"


def test_draft_authors_are_reminded_7_days_before_once(
    conference,
    author,
    coauthor,
    make_submission,
    frozen,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    make_submission(author, state="draft", authors=[coauthor], title="My draft")
    make_submission(author, state="submitted", title="Done already")

    frozen("2022-05-21T11:00:00Z")  # 7 days before 28 May 11:00 UTC
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_due_reminders()
        reminders.send_due_reminders()

    assert sorted(m.to[0] for m in mailoutbox) == [author.email, coauthor.email]
    assert "My draft" in mailoutbox[0].body
    assert "Done already" not in mailoutbox[0].body


def test_a_drafts_extension_is_its_reminder_deadline(
    conference, author, chair, make_submission, frozen
):
    draft = make_submission(author, state="draft")
    until = conference.date("submission").closes_at + timedelta(days=2)
    DeadlineExtension.objects.create(
        submission=draft, until=until, granted_by=chair, granted_at=until
    )

    [(user, context, anchor)] = list(draft_authors(conference, until))

    assert (user, context["submissions"], anchor) == (author, [draft], until)


def test_seed_creates_demo_submissions(db):
    call_command(
        "seed_haet2022",
        "--papers",
        "6",
        "--stage",
        "review",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )

    submissions = Submission.objects.order_by("number")
    assert [s.number for s in submissions] == [1, 2, 3, 4, 5, 6]
    assert {s.state for s in submissions} == {"submitted"}
    assert all(s.current_version.reviewer_copy for s in submissions)
    assert Author.objects.filter(user__email="author@haet.example").count() == 3
    assert all(s.authors.exists() and s.topics.exists() for s in submissions)


def test_seed_sets_up_demo_tags_and_saved_searches_from_review_on(db):
    """Issue 15: the demo chair finds tags (each kind of visibility), an automatic
    tag and shared saved searches."""
    from submissions.models import SavedSearch, Tag
    from submissions.search.shown_tags import tags_by_submission, visible_tags

    def seed(stage: str) -> None:
        call_command(
            "seed_haet2022",
            "--papers",
            "6",
            "--reviewers",
            "4",
            "--stage",
            stage,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )

    seed("review")

    chair = User.objects.get(email="chair@haet.example")
    reviewer = User.objects.get(email="reviewer@haet.example")
    by_name = {t.name: t for t in Tag.objects.all()}
    assert set(by_name) == {
        "needs-4th-review",
        "award-candidate",
        "read-again",
        "short-of-reviews",
    }
    assert by_name["needs-4th-review"].links.count() == 2
    searches = SavedSearch.objects.visible_to(chair)
    assert {s.name for s in searches} == {"Short of reviews", "Split reviewers"}
    assert all(s.shared for s in searches)
    # A reviewer sees only the tag meant for reviewers, never the chairs' ones.
    assert [t.name for t in visible_tags(reviewer, blind=True)] == ["needs-4th-review"]
    shown = tags_by_submission(
        list(Submission.objects.values_list("pk", flat=True)),
        user=chair,
        blind=False,
        tags=visible_tags(chair, blind=False),
    )
    assert any(
        t.name == "short-of-reviews" for tags in shown.values() for t in tags
    )  # the automatic tag follows its search (no reviews seeded: all are short)


def test_seed_has_no_tags_during_the_call_for_papers(db):
    from submissions.models import Tag

    call_command(
        "seed_haet2022",
        "--papers",
        "4",
        "--stage",
        "cfp",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )

    assert Submission.objects.exists()
    assert not Tag.objects.exists()
