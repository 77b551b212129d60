"""Decision pages: the access matrix, visibility before and after release, the
dashboard's constant query count, sorting without JavaScript, bulk decisions, the
release page and the CSV export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from decisions.release import preview_release, release_decisions
from reviews.assigning import assign_reviewer
from tests.decisions.conftest import LEAK_NAME, PERSONAS
from tests.factories import ReviewerFactory, ReviewFactory, SubmissionFactory
from tests.jobs.helpers import job_of, summary_of

pytestmark = pytest.mark.django_db

CHAIRS = {"chair", "conflicted_chair"}
# Pages about submission #1, which the conflicted chair must not see.
CHAIR_OF_1 = {"chair"}
AUTHORS_OF_1 = {"author", "coauthor", "chair"}

MATRIX = [
    ("decisions:dashboard", (), CHAIRS),
    ("decisions:export-table", (), CHAIRS),
    ("decisions:release", (), CHAIRS),
    ("decisions:templates", (), CHAIRS),
    ("decisions:camera-ready-progress", (), CHAIRS),
    ("decisions:exports", (), CHAIRS),
    ("decisions:export-accepted-csv", (), CHAIRS),
    ("decisions:export-accepted-json", (), CHAIRS),
    ("decisions:export-bibtex", (), CHAIRS),
    ("decisions:export-zip", (), CHAIRS),
    ("decisions:export-programme", (), CHAIRS),
    ("decisions:programme", (), CHAIRS),
    ("decisions:submission", (1,), CHAIR_OF_1),
    ("decisions:author-view", (1,), AUTHORS_OF_1),
    ("decisions:camera-ready", (1,), AUTHORS_OF_1),
    ("accepted:list", (), set(PERSONAS)),
]


EMPTY_EXPORTS = {"decisions:export-bibtex", "decisions:export-zip"}


def release_all(world, chair):
    _, tokens, _ = preview_release(world.conference, by=chair)
    return release_decisions(world.conference, tokens=tokens, by=chair)


@pytest.fixture
def released(world, chair):
    ReviewFactory(assignment=world.assignment, score=2, comments="Solid work on FPGAs.")
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    release_all(world, chair)
    return world


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "args", "allowed"), MATRIX)
def test_access_matrix(released, login, persona, name, args, allowed):
    client = login(released.user(persona))

    response = client.get(reverse(name, args=args))

    if persona in allowed and name in EMPTY_EXPORTS:
        # Nothing is in the proceedings yet: the chair is told so on the exports
        # page instead of downloading an empty file (issue 14, item 9).
        assert response.status_code == 302
        assert response["Location"] == reverse("decisions:exports")
    elif persona in allowed:
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ["other_author", "reviewer", "conflicted_chair"])
def test_post_endpoints_answer_404_to_others(released, login, persona):
    client = login(released.user(persona))
    urls = [
        reverse("decisions:submission", args=[1]),
        reverse("decisions:camera-ready", args=[1]),
        reverse("decisions:presentation", args=[1]),
        reverse("decisions:camera-ready-extension", args=[1]),
    ]
    if persona != "conflicted_chair":
        urls += [reverse("decisions:bulk"), reverse("decisions:release")]

    assert [client.post(url, {"outcome": "reject"}).status_code for url in urls] == [
        404
    ] * len(urls)
    assert Decision.objects.get(submission=released.submission).outcome == (
        Outcome.ACCEPT_POSTER
    )


def test_a_conflicted_chair_cannot_bulk_decide_a_hidden_submission(released, login):
    client = login(released.conflicted_chair)

    client.post(
        reverse("decisions:bulk"),
        {"numbers": ["1"], "outcome": "reject", "confirmed": "on"},
    )

    assert Decision.objects.get(submission=released.submission).outcome == (
        Outcome.ACCEPT_POSTER
    )


def test_decisions_are_invisible_to_authors_before_release(world, chair, login):
    ReviewFactory(assignment=world.assignment, score=2, comments="Solid work on FPGAs.")
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)

    response = login(world.coauthor).get(reverse("decisions:author-view", args=[1]))
    camera = login(world.author).get(reverse("decisions:camera-ready", args=[1]))
    public = login(None).get(reverse("accepted:list"))

    assert response.status_code == 200
    assert "has not been released yet" in response.text
    main = response.text.split('<main id="main"', 1)[1]  # past the navigation
    assert "Accept" not in main
    assert "poster" not in main.lower()
    assert "Solid work on FPGAs." not in main
    assert camera.status_code == 404
    assert "Sparse training" not in public.text


def test_decisions_and_reviews_are_visible_to_authors_after_release(released, login):
    ReviewFactory(
        assignment=assign_reviewer(
            released.submission,
            ReviewerFactory.create_batch(size=1)[0],
            by=released.chair,
            notify=False,
        )[0],
        score=-1,
        comments="Needs baselines.",
        confidential="I am not sure about this one.",
    )

    response = login(released.coauthor).get(reverse("decisions:author-view", args=[1]))

    assert "Decision: Accept (poster)" in response.text
    assert "Reviewer 1" in response.text
    assert "Reviewer 2" in response.text
    assert "Solid work on FPGAs." in response.text
    assert "Needs baselines." in response.text
    assert "I am not sure about this one." not in response.text
    assert "Rita Assigned" not in response.text
    assert reverse("decisions:camera-ready", args=[1]) in response.text


def test_the_public_page_lists_released_acceptances(released, login):
    response = login(None).get(reverse("accepted:list"))

    assert "Sparse training of transformers on FPGAs" in response.text
    assert LEAK_NAME in response.text
    assert "Energy models" not in response.text  # rejected
    assert response.context["awards"] == []


def make_world_of(conference, chair, count: int, *, first: int = 10):
    """`count` submissions with three submitted reviews each and a decision."""
    reviewers = ReviewerFactory.create_batch(size=3)
    for number in range(first, first + count):
        submission = SubmissionFactory(
            conference=conference,
            number=number,
            contact=ReviewerFactory.create_batch(size=1)[0],
            authors=[(f"Author {number}", f"a{number}@x{number}.example.org", "Lab")],
        )
        for i, reviewer in enumerate(reviewers):
            assignment, _ = assign_reviewer(
                submission, reviewer, by=chair, notify=False
            )
            ReviewFactory(
                assignment=assignment, score=i - 1, confidence=i + 2, comments="ok"
            )
        decide(submission, Outcome.ACCEPT_POSTER, by=chair)


@pytest.mark.parametrize("blind", [False, True])
def test_dashboard_query_count_is_constant(conference, chair, client, blind):
    client.force_login(chair)
    url = reverse("decisions:dashboard") + ("?blind=on" if blind else "")
    counts = []
    for first, size in ((10, 1), (11, 29)):
        make_world_of(conference, chair, size, first=first)
        client.get(url)  # warm per-process caches (conflicts, templates)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.context["rows"]) == 30
    assert counts[0] == counts[1]


def test_dashboard_sorts_and_filters_with_query_parameters(world, chair, login):
    ReviewFactory(assignment=world.assignment, score=-2)
    other, _ = assign_reviewer(
        world.other_submission,
        ReviewerFactory.create_batch(size=1)[0],
        by=chair,
        notify=False,
    )
    ReviewFactory(assignment=other, score=3)
    client = login(chair)
    url = reverse("decisions:dashboard")

    by_mean = client.get(url, {"sort": "-mean"})
    ascending = client.get(url, {"sort": "mean"})
    searched = client.get(url, {"q": "energy"})
    blind = client.get(url, {"blind": "on"})

    assert [r.number for r in by_mean.context["rows"]] == [2, 1]
    assert [r.number for r in ascending.context["rows"]] == [1, 2]
    assert [r.number for r in searched.context["rows"]] == [2]
    assert "Ada Author" in client.get(url).text
    assert "Ada Author" not in blind.text
    # The header links carry the next sort and keep the other parameters.
    [mean] = [c for c in by_mean.context["columns"] if c["key"] == "mean"]
    assert mean["url"] == "?sort=mean"


def test_bulk_decision_from_the_dashboard(world, chair, login, committed):
    client = login(chair)

    response = committed(
        client.post,
        reverse("decisions:bulk"),
        {
            "numbers": ["1", "2"],
            "outcome": "accept_oral",
            "querystring": "sort=-mean",
            "confirmed": "on",
        },
    )

    # A background job (issue 14, item 10) whose page leads back to the dashboard.
    job = job_of(response)
    assert job.result["link"]["url"] == reverse("decisions:dashboard") + "?sort=-mean"
    assert sorted(Decision.objects.values_list("outcome", flat=True)) == [
        "accept_oral",
        "accept_oral",
    ]


def test_bulk_change_after_release_needs_the_confirmation(
    released, login, mailoutbox, committed
):
    client = login(released.chair)
    mailoutbox.clear()
    data = {"numbers": ["1"], "outcome": "reject", "confirmed": "on"}

    refused = committed(client.post, reverse("decisions:bulk"), data)
    confirmed = committed(
        client.post, reverse("decisions:bulk"), {**data, "confirm_correction": "on"}
    )

    # The first job fails saying why, changing nothing; the second one decides.
    refusal = job_of(refused)
    assert refusal.status == "failed"
    assert refusal.error.endswith("confirm to go ahead.")
    assert not refusal.can_retry
    assert refusal.error in client.get(refused["Location"]).text
    assert summary_of(confirmed) == [
        "Reject: #1. 1 decision changed. You can undo this until the release."
    ]
    assert Decision.objects.get(submission=released.submission).outcome == "reject"
    assert len(mailoutbox) == 3
    assert all(m.subject.startswith("Correction:") for m in mailoutbox)


def test_release_page_previews_every_mail_then_sends_once(
    world, chair, login, mailoutbox, committed
):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    client = login(chair)

    preview = client.get(reverse("decisions:release"))
    tokens = preview.context["tokens"]
    first = committed(
        client.post, reverse("decisions:release"), {"token": tokens, "confirm": "3"}
    )
    second = committed(
        client.post, reverse("decisions:release"), {"token": tokens, "confirm": "3"}
    )

    assert len(preview.context["mails"]) == 3
    assert "accepted as an oral presentation" in preview.text
    assert summary_of(first)[0].startswith("Released 1 decision; 3 mails")
    # The job page of the second click says so.
    assert "Nothing to release" in client.get(second["Location"]).text
    assert len(mailoutbox) == 3


def test_chair_submission_page_shows_confidential_answers(world, chair, login):
    ReviewFactory(
        assignment=world.assignment, score=1, confidential="Between us: borderline."
    )

    response = login(chair).get(reverse("decisions:submission", args=[1]))

    assert "Between us: borderline." in response.text
    assert "confidential" in response.text


def test_chair_decides_on_the_submission_page(world, chair, login):
    client = login(chair)

    refused = client.post(
        reverse("decisions:submission", args=[1]), {"outcome": "desk_reject"}
    )
    client.post(
        reverse("decisions:submission", args=[1]),
        {"outcome": "desk_reject", "reason": "Over length."},
    )

    assert "needs its reason" in refused.text
    assert Decision.objects.get().reason == "Over length."


def test_csv_export_is_safe_against_formulas(world, chair, login):
    world.submission.title = '=HYPERLINK("http://evil")'
    world.submission.save()
    ReviewFactory(assignment=world.assignment, score=-1)

    response = login(chair).get(reverse("decisions:export-table"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["number", "title", "authors"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][6] == "-1.0"  # numbers stay numbers
    assert response["Content-Disposition"].startswith("attachment;")
