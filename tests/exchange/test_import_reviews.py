"""EasyChair's reviews (review.csv + committee.csv) imported with the submissions:
the dry run says what becomes a review and why the rest is skipped; the import
makes the members reviewers (an accepted invitation, an account without a
password and one mail for those without one), their assignments and submitted
reviews mapped onto the review form; importing again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from haet.models import User
from haet.outbox.models import OutboxMail
from haet.rules import is_reviewer
from reviews.models import Assignment, Invitation, Review, ReviewerProfile
from tests.exchange.confirming import confirm_import
from tests.factories import ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples" / "easychair"
FILES = [
    str(SAMPLES / name)
    for name in (
        "submission.csv",
        "author.csv",
        "submission_topic.csv",
        "review.csv",
        "committee.csv",
    )
]
HELGA = "helga.brandt@uni-bremen.example"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_submissions", "--from", "easychair", *args, *FILES, stdout=out)
    return out.getvalue()


def reviews() -> list[tuple]:
    return sorted(
        (
            r.assignment.submission.title[:20],
            r.assignment.reviewer.email,
            r.assignment.pseudonym,
            r.state,
            r.score,
            r.confidence,
            r.answers.get("comments", "")[:30],
        )
        for r in Review.objects.select_related(
            "assignment__submission", "assignment__reviewer"
        )
    )


def test_the_dry_run_says_what_becomes_a_review_and_why_not(conference, chair):
    out = run("--dry-run")

    assert "Reviews: 2 to create, 0 unchanged, 4 skipped." in out
    for reason in (
        "Kwame Mensah: is an author.",
        "The submission is withdrawn.",
        "Submission 99 is not imported from this file.",
        "No email address for Unknown Member",
        "No question of the review form matches “originality”: left out.",
        "Written by the sub-reviewer Tomás Vidal: imported as the member's review, "
        "delegated to them (chairs see who wrote it).",
    ):
        assert reason in out, reason
    assert Review.objects.count() == 0
    assert not User.objects.filter(email=HELGA).exists()


def test_the_import_makes_reviewers_assignments_and_reviews(conference, chair):
    run()

    assert reviews() == [
        (
            "Equilibrium Propagat",
            HELGA,
            "Reviewer 1",
            "submitted",
            2,
            4,
            "The crossbar energy numbers ar",
        ),
        (
            "Open-Source FPGA Ker",
            HELGA,
            "Reviewer 1",
            "submitted",
            -1,
            3,
            "Useful kernels, but the mixed-",
        ),
    ]
    helga = User.objects.get(email=HELGA)
    assert is_reviewer(helga)
    assert not helga.has_usable_password()
    assert Invitation.objects.get(email=HELGA).status == "accepted"
    [mail] = OutboxMail.objects.filter(template="exchange_review_import")
    assert mail.to_email == HELGA
    assert "Forgot password" in mail.body_text
    # No assignment mail: the review is already written.
    assert not OutboxMail.objects.filter(template="assignment").exists()


def test_a_member_with_an_account_keeps_it(conference, chair):
    helga = UserFactory(email=HELGA, name="Helga B.")

    run()

    assert Assignment.objects.filter(reviewer=helga).count() == 2
    assert helga.has_usable_password()
    assert not OutboxMail.objects.filter(template="exchange_review_import").exists()


def test_importing_again_changes_nothing(conference, chair):
    run()
    before = reviews()
    mails = OutboxMail.objects.count()

    out = run()

    assert "Reviews: 0 to create, 2 unchanged, 4 skipped." in out
    assert reviews() == before
    assert OutboxMail.objects.count() == mails
    assert Review.objects.count() == 2


def test_the_chairs_page_shows_the_reviews_and_imports_them(
    client, conference, chair, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    files = [
        SimpleUploadedFile(Path(name).name, Path(name).read_bytes()) for name in FILES
    ]

    dry = client.post(
        reverse("exchange:import"), {"source": "easychair", "files": files}
    )

    assert dry.status_code == 200
    html = dry.content.decode()
    assert "<h3>Reviews</h3>" in html
    assert "Kwame Mensah: is an author." in html
    assert dry.context["plan"].review_count == 2
    assert Review.objects.count() == 0
    summary = confirm_import(
        client, dry, "easychair", django_capture_on_commit_callbacks
    )
    assert (
        "Reviews: 2 created (1 by a sub-reviewer, recorded as a delegation), "
        "0 unchanged, 4 skipped; 1 reviewer told how to sign in." in summary
    )
    assert Review.objects.submitted().count() == 2


def test_a_member_conflicted_here_is_skipped_with_the_reason(conference, chair):
    call_command(
        "import_submissions", "--from", "easychair", *FILES[:3], stdout=StringIO()
    )
    helga = ReviewerFactory(email=HELGA, name="Helga Brandt")
    ReviewerProfile.objects.update_or_create(
        user=helga, defaults={"institution_domains": "porto-eng.example"}
    )

    out = run()

    assert "Helga Brandt: conflicted with it here." in out
    assert [r[0] for r in reviews()] == ["Open-Source FPGA Ker"]


TOMAS = "tomas.vidal@uni-bremen.example"


def test_a_sub_reviewers_review_is_recorded_as_their_delegation(
    client, conference, chair
):
    from reviews.models import Delegation

    run()

    [delegation] = Delegation.objects.select_related("assignment__submission")
    review = Review.objects.get(assignment=delegation.assignment)
    assert delegation.assignment.submission.title.startswith("Open-Source FPGA Ker")
    assert delegation.assignment.reviewer.email == HELGA
    assert (delegation.name, delegation.email, delegation.status) == (
        "Tomás Vidal",
        TOMAS,
        "accepted",
    )
    assert delegation.drafted_at == review.submitted_at
    # It opens nothing: no account, and none is made for the sub-reviewer.
    assert delegation.delegate is None
    assert not User.objects.filter(email=TOMAS).exists()
    number = delegation.assignment.submission.number
    client.force_login(chair)
    listing = client.get(reverse("reviews:chair-delegations")).content.decode()
    note = client.get(reverse("reviews:chair-submission", args=[number]))
    assert "Tomás Vidal" in listing
    assert TOMAS in listing
    assert "written by Tomás Vidal &lt;tomas.vidal@uni-bremen.example&gt; for" in (
        note.content.decode()
    )


def test_importing_again_adds_no_second_delegation(conference, chair):
    from reviews.models import Delegation

    run()
    run()

    assert Delegation.objects.count() == 1


def test_the_summary_counts_delegations_in_words():
    from exchange.imports.review_apply import ReviewResult

    one = ReviewResult(created=2, delegated=1).summary()
    two = ReviewResult(created=3, delegated=2, invited=["a@x.example"]).summary()
    none = ReviewResult(created=3).summary()

    assert one.startswith(
        "Reviews: 2 created (1 by a sub-reviewer, recorded as a delegation), "
    )
    assert two.startswith("Reviews: 3 created (2 by sub-reviewers, recorded as ")
    assert "delegations), 0 unchanged, 0 skipped; 1 reviewer told how" in two
    assert none.startswith("Reviews: 3 created, 0 unchanged")
