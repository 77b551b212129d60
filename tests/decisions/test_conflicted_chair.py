"""Issue 12, findings 3 and 4 for decisions: a chair conflicted with a submission
(`conflicted_chair`, who shares #1's third author's domain) can neither shape its
decision nor learn about it from a count, a chart, a message or an export.
Each test compares what the conflicted chair and an unconflicted chair get over
HTTP, on the same data."""

import csv
import io
import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from decisions.release import preview_release, release_decisions
from proceedings.models import CameraReady
from reviews.assigning import assign_reviewer
from tests.factories import ReviewFactory
from tests.jobs.helpers import summary_of

pytestmark = pytest.mark.django_db

HIDDEN_TITLE = "Sparse training of transformers on FPGAs"  # #1


@pytest.fixture
def decided(world, chair):
    """#1 (hidden from the conflicted chair) is reviewed 3 and accepted; #2 is
    reviewed -2 and rejected; nothing is released."""
    ReviewFactory(assignment=world.assignment, score=3, comments="Strong.")
    other, _ = assign_reviewer(
        world.other_submission, world.reviewer, by=chair, notify=False
    )
    ReviewFactory(assignment=other, score=-2, comments="Weak.")
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    return world


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- aggregates --------------------------------------------------------------------
def test_dashboard_aggregates_count_only_what_the_chair_may_see(decided, login):
    everything = login(decided.chair).get(reverse("decisions:dashboard"))
    seen = login(decided.conflicted_chair).get(reverse("decisions:dashboard"))

    full, mine = everything.context["summary"], seen.context["summary"]
    assert (full.submission_count, mine.submission_count) == (2, 1)
    assert (full.decided, mine.decided) == (2, 1)
    assert (full.accepted, mine.accepted) == (1, 0)
    assert mine.decision_counts["Accept (oral)"] == 0
    assert (full.reviews_done, mine.reviews_done) == (2, 1)
    assert sum(bar.count for bar in mine.histogram.bars) == 1
    assert [bar.label for bar in mine.histogram.bars if bar.count] == ["-2"]
    assert "Decided: 1 of 1" in seen.text
    assert "Showing 1 of 1" in seen.text
    assert HIDDEN_TITLE in everything.text
    assert HIDDEN_TITLE not in seen.text


def test_the_decisions_csv_leaves_out_hidden_submissions(decided, login):
    def rows(user):
        response = login(user).get(reverse("decisions:export-table"))
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    assert [(r["number"], r["mean"]) for r in rows(decided.chair)] == [
        ("1", "3.0"),
        ("2", "-2.0"),
    ]
    assert [(r["number"], r["mean"]) for r in rows(decided.conflicted_chair)] == [
        ("2", "-2.0")
    ]


def test_the_release_page_does_not_count_hidden_decisions(decided, login):
    client = login(decided.conflicted_chair)

    with_decision = client.get(reverse("decisions:release"))
    Decision.objects.filter(submission=decided.submission).delete()
    without = client.get(reverse("decisions:release"))

    # Whether #1 has a decision waiting changes nothing the conflicted chair sees.
    assert with_decision.context["submission_count"] == 1
    assert "another chair releases them" in with_decision.text
    main = with_decision.text.split('name="csrfmiddlewaretoken"')[0]
    assert main == without.text.split('name="csrfmiddlewaretoken"')[0]


def test_camera_ready_progress_counts_only_what_the_chair_may_see(
    decided, chair, login
):
    _, tokens, _ = preview_release(decided.conference, by=chair)
    release_decisions(decided.conference, tokens=tokens, by=chair, notify=False)
    CameraReady.objects.create(submission=decided.submission, title="Final FPGA")

    full = login(chair).get(reverse("decisions:camera-ready-progress"))
    seen = login(decided.conflicted_chair).get(
        reverse("decisions:camera-ready-progress")
    )

    assert (full.context["missing_count"], seen.context["missing_count"]) == (1, 0)
    assert "Final FPGA" in full.text
    assert "Final FPGA" not in seen.text
    assert "Received: 0 of 0" in seen.text


def test_the_camera_ready_reminder_button_skips_hidden_submissions(
    decided, chair, login, mailoutbox, committed, frozen
):
    _, tokens, _ = preview_release(decided.conference, by=chair)
    release_decisions(decided.conference, tokens=tokens, by=chair, notify=False)
    decide(
        decided.other_submission,
        Outcome.ACCEPT_POSTER,
        by=chair,
        confirm_correction=True,
    )
    mailoutbox.clear()
    frozen("2022-06-20T12:00:00Z")

    response = committed(
        login(decided.conflicted_chair).post,
        reverse("decisions:camera-ready-progress"),
    )

    assert summary_of(response) == ["1 reminder mails queued."]
    assert [m.to for m in mailoutbox if "camera-ready" in m.subject] == [
        ["other@elsewhere.example"]
    ]


# --- actions -----------------------------------------------------------------------
@pytest.mark.parametrize("extra", ["1", "99"])  # hidden, and no such submission
def test_bulk_decide_changes_only_visible_submissions_and_names_none_else(
    decided, login, extra, committed
):
    client = login(decided.conflicted_chair)
    data = {"numbers": [extra, "2"], "outcome": "accept_poster"}

    question = client.post(reverse("decisions:bulk"), data)
    response = committed(
        client.post, reverse("decisions:bulk"), {**data, "confirmed": "on"}
    )

    # The confirmation names only what the chair may decide.
    assert question.status_code == 200
    assert "Set 1 submission to Accept (poster)?" in question.text
    assert decided.submission.title not in question.text
    assert 'name="numbers" value="1"' not in question.text
    assert response.status_code == 302
    assert Decision.objects.get(submission=decided.submission).outcome == (
        Outcome.ACCEPT_ORAL
    )
    assert Decision.objects.get(submission=decided.other_submission).outcome == (
        Outcome.ACCEPT_POSTER
    )
    # The same answer whether the extra number is hidden or does not exist.
    assert summary_of(response) == [
        "Accept (poster): #2. 1 decision changed. You can undo this until the release."
    ]


def test_bulk_decide_of_only_hidden_submissions_changes_nothing(decided, login):
    client = login(decided.conflicted_chair)

    response = client.post(
        reverse("decisions:bulk"), {"numbers": ["1"], "outcome": "reject"}
    )

    assert texts(response) == ["Select the submissions to decide first."]
    assert Decision.objects.get(submission=decided.submission).outcome == (
        Outcome.ACCEPT_ORAL
    )


def test_release_ignores_a_forged_token_of_a_hidden_submission(
    decided, chair, login, mailoutbox, committed
):
    client = login(decided.conflicted_chair)
    tokens = client.get(reverse("decisions:release")).context["tokens"]
    forged = f"{decided.submission.pk}:accept_oral:1"

    response = committed(
        client.post,
        reverse("decisions:release"),
        {"token": [*tokens, forged], "confirm": "1"},
    )

    assert summary_of(response) == [
        "Released 1 decision; 1 mail is on its way (see the outbox)."
    ]
    assert Decision.objects.get(submission=decided.submission).released_at is None
    assert Decision.objects.get(submission=decided.other_submission).released_at
    assert [m.to for m in mailoutbox] == [["other@elsewhere.example"]]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("decisions:submission", {"outcome": "reject"}),
        ("decisions:submission", {"outcome": "clear"}),
        ("decisions:camera-ready-extension", {"reason": "More time."}),
    ],
)
def test_per_submission_actions_on_a_hidden_submission_are_404(
    decided, login, name, data
):
    response = login(decided.conflicted_chair).post(reverse(name, args=[1]), data)

    assert response.status_code == 404
    assert Decision.objects.get(submission=decided.submission).outcome == (
        Outcome.ACCEPT_ORAL
    )
    assert not decided.submission.camera_ready_extensions.exists()


# --- exports -----------------------------------------------------------------------
def test_public_exports_after_release_include_hidden_acceptances(decided, chair, login):
    """What the accepted list publishes anyway: a conflicted chair exports it all."""
    _, tokens, _ = preview_release(decided.conference, by=chair)
    release_decisions(decided.conference, tokens=tokens, by=chair, notify=False)
    client = login(decided.conflicted_chair)

    listed = client.get(reverse("decisions:export-accepted-csv"))
    data = json.loads(client.get(reverse("decisions:export-accepted-json")).content)
    table = client.get(reverse("decisions:export-table"))

    accepted = csv.DictReader(io.StringIO(listed.content.decode()))
    assert [row["number"] for row in accepted] == ["1"]
    assert [p["title"] for p in data["papers"]] == [HIDDEN_TITLE]
    # The decisions table carries scores: still without the hidden submission.
    assert HIDDEN_TITLE not in table.content.decode()
