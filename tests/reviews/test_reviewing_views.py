"""Access matrix of every reviewing page and download, what each page shows,
blindness of what reviewer templates receive, the deadline, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet.models import User
from reviews.assigning import assign_reviewer
from reviews.models import DiscussionPost, Review, ReviewSettings
from reviews.reviewing import post_to_discussion, save_review
from submissions.models import Author, Submission, SubmissionVersion
from tests.factories import SubmissionFactory, UserFactory
from tests.reviews.conftest import REVIEW_CLOSES_AT, SECOND_EMAIL, SECOND_NAME, answers

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "author",
    "other_author",
    "reviewer",  # assigned, before their own review
    "reviewer_after_review",
    "unassigned_reviewer",
    "conflicted_reviewer",
    "conflicted_assigned_reviewer",  # assigned, then a conflict was found
    "chair",
    "conflicted_chair",
]


def persona_user(reviewing, persona: str):
    world = reviewing.world
    if persona == "reviewer_after_review":
        save_review(reviewing.assignment, answers(), by=world.reviewer, submit=True)
        return world.reviewer
    if persona == "conflicted_assigned_reviewer":
        reviewing.conflict_later()
        return world.reviewer
    return world.user(persona)


def status(persona: str, allowed: set[str], ok: int = 200) -> int:
    if persona == "anonymous":
        return 302
    return ok if persona in allowed else 404


ASSIGNED = {"reviewer", "reviewer_after_review"}
CHAIRS = {"chair", "conflicted_chair"}


def get(client, reviewing, persona, name):
    user = persona_user(reviewing, persona)
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[1]))


@pytest.mark.parametrize("persona", PERSONAS)
def test_assignment_page_access(client, reviewing, persona):
    response = get(client, reviewing, persona, "reviews:submission")

    assert response.status_code == status(persona, ASSIGNED)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["reviews:paper", "reviews:supplementary"])
def test_download_access(client, reviewing, persona, name):
    response = get(client, reviewing, persona, name)

    assert response.status_code == status(persona, ASSIGNED | {"chair"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_review_post_access(client, reviewing, persona):
    user = persona_user(reviewing, persona)
    if user is not None:
        client.force_login(user)
    before = Review.objects.filter(assignment=reviewing.assignment).first()

    response = client.post(
        reverse("reviews:review", args=[1]),
        form_data(answers(summary="Written by whoever got in"), "draft"),
    )

    assert response.status_code == status(persona, ASSIGNED, ok=302)
    review = Review.objects.filter(assignment=reviewing.assignment).first()
    if persona in ASSIGNED:
        assert review.answers["summary"] == "Written by whoever got in"
    else:
        assert review == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_discussion_post_access(client, reviewing, persona):
    user = persona_user(reviewing, persona)
    if user is not None:
        client.force_login(user)

    response = client.post(
        reverse("reviews:discussion", args=[1]), {"body": "Let us discuss."}
    )

    # Before their own review, the reviewer does not see the discussion (404).
    allowed = {"reviewer_after_review", "chair"}
    assert response.status_code == status(persona, allowed, ok=302)
    assert DiscussionPost.objects.count() == (1 if persona in allowed else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_chair_submission_page_access(client, reviewing, persona):
    response = get(client, reviewing, persona, "reviews:chair-submission")

    assert response.status_code == status(persona, {"chair"})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["reviews:chair-reviews", "reviews:review-form"])
def test_chair_pages_access(client, reviewing, persona, name):
    user = persona_user(reviewing, persona)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse(name))

    assert response.status_code == status(persona, CHAIRS)


def test_conflicted_chair_does_not_see_the_submission_listed(client, reviewing):
    client.force_login(reviewing.world.conflicted_chair)

    html = client.get(reverse("reviews:chair-reviews")).content.decode()

    assert "Sparse training of transformers" not in html
    assert "Energy models of training on GPUs" in html
    assert "1 submission you are conflicted with is not listed" in html


def test_chair_review_list_speaks_the_search_language(client, reviewing):
    """Issue 15: the reviews list takes the same queries as the submission list."""
    client.force_login(reviewing.chair)
    url = reverse("reviews:chair-reviews")
    save_review(
        reviewing.assignment, answers(), by=reviewing.world.reviewer, submit=True
    )

    reviewed = client.get(url, {"q": "reviews:>=1"}).content.decode()
    unreviewed = client.get(url, {"q": "reviews:<1"}).content.decode()
    broken = client.get(url, {"q": "score:>>"})

    assert "Sparse training of transformers" in reviewed
    assert "Energy models of training on GPUs" not in reviewed
    assert "Sparse training of transformers" not in unreviewed
    assert "Energy models of training on GPUs" in unreviewed
    assert broken.status_code == 200
    assert "The search could not run" in broken.content.decode()


def test_unknown_number_is_404_even_for_chairs(client, reviewing):
    client.force_login(reviewing.chair)

    assert client.get(reverse("reviews:paper", args=[99])).status_code == 404
    assert client.get(reverse("reviews:chair-submission", args=[99])).status_code == (
        404
    )


def test_withdrawn_submission_hides_the_assignment(client, reviewing):
    Submission.objects.filter(pk=reviewing.submission.pk).update(
        state=Submission.State.WITHDRAWN
    )
    client.force_login(reviewing.reviewer)

    assert client.get(reverse("reviews:submission", args=[1])).status_code == 404
    assert client.get(reverse("reviews:paper", args=[1])).status_code == 404


# --- the download --------------------------------------------------------------------
def test_paper_download_is_the_reviewer_copy_as_an_attachment(client, reviewing):
    client.force_login(reviewing.reviewer)

    response = client.get(reverse("reviews:paper", args=[1]))

    assert b"".join(response.streaming_content).endswith(b"copy")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="HAET2022-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_supplementary_download_name_is_the_number(client, reviewing):
    client.force_login(reviewing.reviewer)

    response = client.get(reverse("reviews:supplementary", args=[1]))

    assert b"".join(response.streaming_content) == b"PK..copy"  # never the original
    assert response["Content-Disposition"] == (
        'attachment; filename="HAET2022-1-supplementary.zip"'
    )
    assert response["Cache-Control"] == "private, no-store"


def test_no_reviewer_copy_is_404(client, reviewing):
    SubmissionVersion.objects.update(reviewer_copy="")
    client.force_login(reviewing.reviewer)

    assert client.get(reverse("reviews:paper", args=[1])).status_code == 404


# --- what the reviewer's page shows ---------------------------------------------------
def test_page_receives_a_blind_submission_and_no_model_leading_to_it(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    post_to_discussion(reviewing.submission, "A question.", by=reviewing.chair)
    client.force_login(reviewing.reviewer)

    response = client.get(reverse("reviews:submission", args=[1]))

    context = {}
    for layer in response.context:  # every template rendered, partials included
        context.update(layer.flatten())
    assert "view" not in context
    assert "submission" not in context
    forbidden = (Submission, Author, SubmissionVersion)
    assert not [k for k, v in context.items() if isinstance(v, forbidden)]
    users = [v for v in context.values() if isinstance(v, User)]
    assert all(u.pk == reviewing.reviewer.pk for u in users)
    assert type(context["blind_submission"]).__name__ == "BlindSubmission"


def test_before_own_review_the_others_are_hidden(client, reviewing):
    client.force_login(reviewing.reviewer)

    response = client.get(reverse("reviews:submission", args=[1]))

    html = response.content.decode()
    assert response.context["others"] == []
    assert "Second opinion" not in html
    assert "once you have submitted yours" in html
    assert "The discussion opens to you once you have submitted your review" in html


def test_after_own_review_the_others_are_signed_by_pseudonym(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    post_to_discussion(
        reviewing.submission, "Chair here: thoughts?", by=reviewing.chair
    )
    client.force_login(reviewing.reviewer)

    response = client.get(reverse("reviews:submission", args=[1]))

    html = response.content.decode()
    [other] = response.context["others"]
    assert (other.pseudonym, other.score) == ("Reviewer 2", "-1 Weak reject")
    assert "Second opinion: needs more work." in html
    assert [(p.signed, p.body) for p in response.context["posts"]] == [
        ("Chair", "Chair here: thoughts?")
    ]
    # The others' confidential comments are the chairs' only.
    assert "Borderline for me" in html  # the reviewer's own, in their form
    assert [a.label for a in other.answers] == [
        "Summary of the submission",
        "Strengths",
        "Weaknesses",
        "Comments to the authors",
    ]
    for secret in (SECOND_NAME, SECOND_EMAIL, reviewing.chair.name):
        assert secret not in html


@pytest.mark.parametrize(
    ("policy", "submitted", "sees"),
    [
        ("never", False, False),
        ("never", True, False),
        ("after_own", False, False),
        ("after_own", True, True),
        ("always", False, True),
        ("always", True, True),
    ],
)
def test_the_policy_decides_who_sees_the_others(
    client, reviewing, policy, submitted, sees
):
    ReviewSettings.objects.update(reviewers_see_other_reviews=policy)
    if submitted:
        save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    client.force_login(reviewing.reviewer)

    response = client.get(reverse("reviews:submission", args=[1]))

    assert [o.pseudonym for o in response.context["others"]] == (
        ["Reviewer 2"] if sees else []
    )
    assert response.context["can_read_discussion"] is sees


def test_a_conflicted_reviewers_review_is_hidden_from_the_others(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    from reviews.declared_conflicts import declare_conflict

    declare_conflict(
        reviewing.submission, reviewing.second, source="chair_added", by=reviewing.chair
    )
    client.force_login(reviewing.reviewer)

    response = client.get(reverse("reviews:submission", args=[1]))

    assert response.context["others"] == []


def test_a_closed_discussion_is_read_only_for_reviewers(client, reviewing):
    ReviewSettings.objects.update(is_discussion_open=False)
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    client.force_login(reviewing.reviewer)

    page = client.get(reverse("reviews:submission", args=[1]))
    response = client.post(reverse("reviews:discussion", args=[1]), {"body": "Hi"})

    assert page.context["can_post"] is False
    assert response.status_code == 302
    assert not DiscussionPost.objects.exists()


def test_a_post_refused_because_the_discussion_closed_waits_in_the_form(
    client, reviewing
):
    """The chairs closed the discussion while the reviewer wrote: the message
    comes back in the form once the discussion reopens, not lost."""
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    client.force_login(reviewing.reviewer)
    client.get(reverse("reviews:submission", args=[1]))
    ReviewSettings.objects.update(is_discussion_open=False)
    typed = "A long thought on the second benchmark,\r\nover two lines."

    client.post(reverse("reviews:discussion", args=[1]), {"body": typed})
    ReviewSettings.objects.update(is_discussion_open=True)
    page = client.get(reverse("reviews:submission", args=[1]))
    again = client.get(reverse("reviews:submission", args=[1]))

    assert not DiscussionPost.objects.exists()
    assert page.context["post_form"]["body"].value() == typed.replace("\r\n", "\n")
    assert again.context["post_form"]["body"].value() in (None, "")


def test_a_post_over_the_limit_waits_in_the_form_with_its_length(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    client.force_login(reviewing.reviewer)
    typed = "x" * 10_001

    response = client.post(
        reverse("reviews:discussion", args=[1]), {"body": typed}, follow=True
    )

    assert "yours has 10,001" in response.content.decode()
    assert response.context["post_form"]["body"].value() == typed
    assert not DiscussionPost.objects.exists()


# --- saving through the page ----------------------------------------------------------
def form_data(values: dict, action: str) -> dict:
    data = {"action": action}
    for key, value in values.items():
        data[f"q_{key}"] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_save_draft_then_submit_through_the_page(client, reviewing):
    client.force_login(reviewing.reviewer)
    url = reverse("reviews:review", args=[1])

    draft = client.post(url, form_data({"summary": "Half done"}, "draft"))
    incomplete = client.post(url, form_data({"summary": "Half done"}, "submit"))
    done = client.post(url, form_data(answers(), "submit"))

    review = Review.objects.get(assignment=reviewing.assignment)
    assert draft.status_code == 302
    assert incomplete.status_code == 200
    assert "“Overall score” is required." in incomplete.content.decode()
    assert done["Location"].endswith("#reviews")
    assert (review.state, review.score, review.confidence) == ("submitted", 2, 4)


def test_after_the_deadline_the_page_refuses_and_says_when(client, reviewing, frozen):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer)
    frozen(REVIEW_CLOSES_AT)
    client.force_login(reviewing.reviewer)

    response = client.post(
        reverse("reviews:review", args=[1]),
        form_data(answers(summary="Too late"), "submit"),
        follow=True,
    )

    html = response.content.decode()
    assert "8 June 2022, 11:59 pm UTC-11 (9 June 2022 10:59 UTC)" in html
    assert "Nothing was changed" in html
    assert "can no longer be changed" in html
    review = Review.objects.get(assignment=reviewing.assignment)
    assert (review.state, review.answers["summary"]) == (
        "draft",
        answers()["summary"],
    )


# --- chairs ---------------------------------------------------------------------------
def test_chair_page_shows_real_names_and_confidential_answers(client, reviewing):
    post_to_discussion(reviewing.submission, "Why -1?", by=reviewing.chair)
    client.force_login(reviewing.chair)

    html = client.get(reverse("reviews:chair-submission", args=[1])).content.decode()

    assert SECOND_NAME in html
    assert "Reviewer 2" in html
    assert "Borderline for me; happy to be convinced." in html
    assert "Rita Assigned" in html  # assigned, not started
    assert "Why -1?" in html


def test_chair_posts_as_chair(client, reviewing):
    client.force_login(reviewing.chair)

    response = client.post(reverse("reviews:discussion", args=[1]), {"body": "Hello"})

    assert response["Location"] == reverse("reviews:chair-submission", args=[1]) + (
        "#discussion"
    )
    assert DiscussionPost.objects.get().author == reviewing.chair


# --- query counts ---------------------------------------------------------------------
def add_reviews_and_posts(reviewing, count: int, *, start: int) -> None:
    for n in range(start, start + count):
        other = UserFactory(email=f"extra{n}@lab{n}.example.net", role="reviewer")
        assignment, _ = assign_reviewer(
            reviewing.submission, other, by=reviewing.chair, notify=False
        )
        save_review(assignment, answers(), by=other, submit=True)
        post_to_discussion(reviewing.submission, f"Post {n}", by=other)


def queries(client, url) -> tuple[int, object]:
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def test_review_page_query_count_is_constant(client, reviewing):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    client.force_login(reviewing.reviewer)
    url = reverse("reviews:submission", args=[1])
    add_reviews_and_posts(reviewing, 1, start=0)
    few, _ = queries(client, url)
    add_reviews_and_posts(reviewing, 4, start=1)

    many, response = queries(client, url)

    assert (len(response.context["others"]), len(response.context["posts"])) == (6, 5)
    assert many == few


def test_chair_page_query_count_is_constant(client, reviewing):
    client.force_login(reviewing.chair)
    url = reverse("reviews:chair-submission", args=[1])
    add_reviews_and_posts(reviewing, 1, start=0)
    few, _ = queries(client, url)
    add_reviews_and_posts(reviewing, 4, start=1)

    many, response = queries(client, url)

    assert len(response.context["rows"]) == 7
    assert many == few


def test_dashboard_query_count_is_constant(
    client, conference, chair, author, during_review
):

    reviewer = UserFactory(email="busy@lab.example.net", role="reviewer")
    client.force_login(reviewer)
    url = reverse("reviews:dashboard")
    counts = []
    for number in range(1, 7):
        submission = SubmissionFactory(
            conference=conference, number=number, contact=author
        )
        assignment, _ = assign_reviewer(submission, reviewer, by=chair, notify=False)
        if number % 2:
            save_review(assignment, answers(), by=reviewer)
        if number in (1, 6):
            count, response = queries(client, url)
            counts.append(count)

    assert len(response.context["assignments"]) == 6
    assert counts[0] == counts[1]
