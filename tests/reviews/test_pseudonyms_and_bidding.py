"""Issue 12, findings 10 and 11a-b, as reviewers meet them: the bidding page shows no
gap where a conflicted submission is hidden, a NUL in its search is no 500, and
"Reviewer N" says nothing about the account behind it."""

import re
from collections import defaultdict

import pytest
from django.urls import reverse

from reviews.models import AssignmentRun
from reviews.views.bidding import bid_key
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

CONFLICTED_DOMAIN = "quixotic-institute.example"


@pytest.fixture
def three_submissions(conference, author):
    """#1, #2, #3; #2 has a co-author at the conflicted reviewer's institution."""
    titles = ["Sparse FPGA training", "Hidden conflicted paper", "Energy of GPUs"]
    return [
        SubmissionFactory(
            conference=conference,
            number=number,
            contact=author,
            title=title,
            authors=[("Zed Coauthor", f"zed@{CONFLICTED_DOMAIN}", "Quixotic")]
            if number == 2
            else (),
        )
        for number, title in enumerate(titles, start=1)
    ]


# --- finding 11b: no gap in the bidding list ------------------------------------------
def test_bidding_page_shows_no_number_and_no_gap_for_a_hidden_submission(
    client, make_reviewer, three_submissions, during_bidding
):
    reviewer = make_reviewer(f"carl@{CONFLICTED_DOMAIN}")
    client.force_login(reviewer)

    html = client.get(reverse("reviews:bidding")).content.decode()

    assert "Hidden conflicted paper" not in html
    # Neither paper numbers ("#3") nor number-keyed anchors or bid URLs, which
    # would show that #2 is missing between #1 and #3.
    assert re.findall(r"#\d", html) == []
    assert re.findall(r"/reviews/bidding/\d+/", html) == []
    assert re.findall(r'id="s\d', html) == []
    # The list is numbered by position, and its bid URLs use this reviewer's keys.
    assert re.findall(r"<h3>(\d+)\. ", html) == ["1", "2"]
    first, _, third = three_submissions
    assert re.findall(r"/reviews/bidding/(\w+)/", html) == [
        bid_key(reviewer, first.pk),
        bid_key(reviewer, third.pk),
    ]
    assert "conflict of interest with are not listed" in html


def test_a_bid_key_works_only_for_the_reviewer_it_was_made_for(
    client, make_reviewer, three_submissions, during_bidding
):
    alice, bob = make_reviewer(), make_reviewer()
    alices_key = bid_key(alice, three_submissions[0].pk)
    client.force_login(bob)

    response = client.post(
        reverse("reviews:bid", args=[alices_key]), {"value": "eager"}
    )

    assert response.status_code == 404
    client.force_login(alice)
    response = client.post(
        reverse("reviews:bid", args=[alices_key]), {"value": "eager"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reviews:bidding')}#b{alices_key}"


# --- finding 10: a NUL character in a search ------------------------------------------
@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("\x00", ["Sparse FPGA training", "Hidden conflicted paper", "Energy of GPUs"]),
        ("Spa\x00rse", ["Sparse FPGA training"]),
    ],
)
def test_a_nul_character_in_the_bidding_search_is_ignored(
    client, make_reviewer, three_submissions, during_bidding, query, titles
):
    """PostgreSQL refuses NUL in text: `?q=%00` was a 500 there."""
    client.force_login(make_reviewer())

    response = client.get(reverse("reviews:bidding"), {"q": query})

    assert response.status_code == 200
    assert [item.title for item in response.context["items"]] == titles


# --- finding 11a: pseudonyms in a random order ----------------------------------------
SUBMISSION_COUNT = 20


def test_deployed_pseudonyms_do_not_follow_account_order(
    client, conference, author, chair, make_reviewer, django_capture_on_commit_callbacks
):
    """The solver lists each submission's pairs by reviewer; deploying them used to
    make the lowest account id "Reviewer 1" on every paper. Over 20 submissions a
    random order gives one reviewer the same number everywhere with probability
    3 x (1/3)^20, about 1e-9: deterministic in practice."""
    reviewers = sorted((make_reviewer() for _ in range(3)), key=lambda r: r.pk)
    submissions = [
        SubmissionFactory(conference=conference, number=n, contact=author)
        for n in range(1, SUBMISSION_COUNT + 1)
    ]
    run = AssignmentRun.objects.create(
        created_by=chair,
        status=AssignmentRun.Status.DONE,
        result={
            "pairs": [[s.pk, r.pk, 1.0] for s in submissions for r in reviewers],
            "kept": [],
            "unfilled": {},
        },
    )
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):  # the deploy job
        response = client.post(
            reverse("reviews:run", args=[run.pk]),
            {"action": "deploy", "confirm": "on"},
        )

    assert response.status_code == 302
    by_submission = defaultdict(list)
    numbers_of = {}
    for reviewer in reviewers:  # as each reviewer sees them on their dashboard
        client.force_login(reviewer)
        items = client.get(reverse("reviews:dashboard")).context["assignments"]
        numbers_of[reviewer.pk] = [item.pseudonym for item in items]
        for item in items:
            by_submission[item.number].append(item.pseudonym)
    # Every submission still has Reviewer 1, 2 and 3, once each.
    assert {tuple(sorted(names)) for names in by_submission.values()} == {
        ("Reviewer 1", "Reviewer 2", "Reviewer 3")
    }
    assert len(by_submission) == SUBMISSION_COUNT
    # ...but no reviewer has the same number everywhere.
    for pseudonyms in numbers_of.values():
        assert len(set(pseudonyms)) > 1
