"""A chair who co-authors a submission neither shapes its reviewing nor learns
anything about it from the chairs' reviewing tools (issue 12, findings 3 and 4).

`hall`: chair Dana co-authors submission #1 ("P"); #2-#4 are visible to her. P has
two reviewers: Priscilla (also on #2, full at two) and Percival (only on P, full at
one). Three of Dana's friends would love to review P. Everything is done over HTTP
as the chairs, and compared with what the unconflicted chair sees.
"""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet.models import User
from reviews.affinity_upload import upload_affinity
from reviews.assigning import assign_reviewer, unassign_reviewer
from reviews.assignment_runs import compute_run
from reviews.declared_conflicts import declare_conflict, waive_conflict
from reviews.models import (
    AffinityScore,
    Assignment,
    AssignmentRun,
    Bid,
    ReviewerProfile,
)
from submissions.models import Author, Submission
from tests.factories import SubmissionFactory, UserFactory
from tests.reviews import test_views
from tests.reviews.test_assignment import propose

pytestmark = pytest.mark.django_db

P_TITLE = "Photonic Zeppelin Accelerators for Sparse Training"
PERCIVAL = "Percival Hiddenreview"


@dataclass
class Hall:
    chair: User
    dana: User
    p: Submission
    visible: list[Submission]
    priscilla: User  # reviews P and #2; max two submissions
    percival: User  # reviews only P; max one submission
    friends: list[User]
    others: list[User]


@pytest.fixture
def hall(conference, author, chair, make_reviewer):
    dana = UserFactory(
        email="dana@dana-lab.example.net", name="Dana Coauthor", role="chair"
    )
    olga = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    p = SubmissionFactory(
        conference=conference, number=1, contact=author, authors=[dana]
    )
    p.title = P_TITLE
    p.save()
    visible = [
        SubmissionFactory(
            conference=conference, number=n, contact=olga, title=f"Visible work {n}"
        )
        for n in (2, 3, 4)
    ]
    priscilla = make_reviewer("priscilla@watch.example.net", name="Priscilla Watch")
    percival = make_reviewer("percival@hush.example.net", name=PERCIVAL)
    ReviewerProfile.objects.create(user=priscilla, max_assignments=2)
    ReviewerProfile.objects.create(user=percival, max_assignments=1)
    friends = [
        make_reviewer(f"{name.lower()}@friends{i}.example.net", name=f"{name} Friendly")
        for i, name in enumerate(["Fiona", "Fred", "Frida"])
    ]
    others = [
        make_reviewer(f"r{i}@lab{i}.example.net", name=f"Other Reviewer {i}")
        for i in range(3)
    ]
    for reviewer in (priscilla, percival):
        assign_reviewer(p, reviewer, by=chair, notify=False)
    assign_reviewer(visible[0], priscilla, by=chair, notify=False)
    return Hall(chair, dana, p, visible, priscilla, percival, friends, others)


def p_reviewer_emails(hall) -> list[str]:
    return sorted(
        Assignment.objects.filter(submission=hall.p).values_list(
            "reviewer__email", flat=True
        )
    )


# --- finding 3: a conflicted chair cannot shape their submission's reviewing ------
def test_affinity_rows_about_the_hidden_submission_are_refused_like_missing_ones(
    hall, login
):
    fiona, fred, _ = hall.friends
    text = (
        f"1,{fiona.email},1.0\n1,{fred.email},1.0\n"
        f"99,{fiona.email},0.5\n2,{fiona.email},0.2\n"
    )

    response = login(hall.dana).post(reverse("reviews:affinity-upload"), {"text": text})

    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [
        "Line 1: no submission #1 (or one you are conflicted with).",
        "Line 2: no submission #1 (or one you are conflicted with).",
        "Line 3: no submission #99 (or one you are conflicted with).",
    ]
    assert not AffinityScore.objects.exists()


def test_a_conflicted_chairs_upload_keeps_the_hidden_submissions_scores(hall, login):
    fiona = hall.friends[0]
    upload_affinity(f"1,{hall.others[0].email},0.9\n", by=hall.chair)

    response = login(hall.dana).post(
        reverse("reviews:affinity-upload"), {"text": f"2,{fiona.email},0.3\n"}
    )

    assert response.status_code == 302
    assert sorted(
        AffinityScore.objects.values_list("submission_id", "reviewer_id", "score")
    ) == [(hall.p.pk, hall.others[0].pk, 0.9), (hall.visible[0].pk, fiona.pk, 0.3)]


def test_a_conflicted_chairs_proposal_and_deploy_leave_the_hidden_submission_alone(
    hall, login, django_capture_on_commit_callbacks
):
    client = login(hall.dana)
    # Friends for P are refused (above); Priscilla is made very attractive
    # elsewhere, but P already uses up her load of two with #2.
    rows = [f"{s.number},{hall.priscilla.email},5.0" for s in hall.visible[1:]]
    client.post(reverse("reviews:affinity-upload"), {"text": "\n".join(rows)})
    before = p_reviewer_emails(hall)

    with django_capture_on_commit_callbacks(execute=True):
        run = propose(client, affinity_source="uploaded")
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reviews:run", args=[run.pk]), {"action": "deploy", "confirm": "1"}
        )

    covered = {s for s, _, _ in run.result["pairs"] + run.result["kept"]}
    assert covered == {s.pk for s in hall.visible}
    assert str(hall.p.pk) not in run.result["unfilled"]
    assert hall.priscilla.pk not in {r for _, r, _ in run.result["pairs"]}
    assert p_reviewer_emails(hall) == before
    assert Assignment.objects.filter(submission__in=hall.visible).count() == 9


def test_deploying_another_chairs_proposal_never_touches_the_hidden_submission(
    hall, login, django_capture_on_commit_callbacks
):
    run = AssignmentRun.objects.create(created_by=hall.chair)
    compute_run(run.pk)
    run.refresh_from_db()
    before = p_reviewer_emails(hall)

    client = login(hall.dana)
    with django_capture_on_commit_callbacks(execute=True):  # the deploy job
        response = client.post(
            reverse("reviews:run", args=[run.pk]),
            {"action": "deploy", "confirm": "8"},
        )
    mailed = len({r for s, r, _ in run.result["pairs"] if s != hall.p.pk})
    page = client.get(response["Location"])

    assert hall.p.pk in {s for s, _, _ in run.result["pairs"]}  # it needs a third
    assert mailed > 1
    assert page.context["summary"] == [
        f"Deployed: 8 new assignments; {mailed} reviewers get one mail each, "
        "listing their new submissions.",
        "Nothing was deployed for the submissions you are conflicted with: "
        "another chair can propose and deploy again for them.",
    ]
    assert p_reviewer_emails(hall) == before
    assert Assignment.objects.filter(submission__in=hall.visible).count() == 9


def test_manual_assignment_on_the_hidden_submission_is_answered_like_a_missing_one(
    hall, login
):
    client = login(hall.dana)
    fiona = hall.friends[0]

    hidden = client.post(
        reverse("reviews:assignments"), {"submission": 1, "reviewer": fiona.email}
    )
    missing = client.post(
        reverse("reviews:assignments"), {"submission": 99, "reviewer": fiona.email}
    )
    conflict = client.post(
        reverse("reviews:conflicts"),
        {"action": "add", "submission": 1, "user": fiona.email},
    )
    removal = client.post(
        reverse("reviews:assignments"),
        {
            "action": "remove",
            "assignment": Assignment.objects.filter(submission=hall.p)[0].pk,
        },
    )

    assert (hidden.status_code, missing.status_code, conflict.status_code) == (
        200,
        200,
        200,
    )
    assert hidden.context["form"].errors == {
        "submission": ["There is no submission #1."]
    }
    assert missing.context["form"].errors == {
        "submission": ["There is no submission #99."]
    }
    assert conflict.context["add_form"].errors == {
        "submission": ["There is no submission #1."]
    }
    assert removal.status_code == 404
    assert p_reviewer_emails(hall) == sorted(
        [hall.priscilla.email, hall.percival.email]
    )
    assert not Assignment.objects.filter(reviewer=fiona).exists()


def test_the_services_refuse_a_chair_shaping_their_own_submission(hall):
    fiona = hall.friends[0]
    assignment = Assignment.objects.filter(submission=hall.p).first()

    with pytest.raises(PermissionDenied, match="There is no submission #1"):
        assign_reviewer(hall.p, fiona, by=hall.dana)
    with pytest.raises(PermissionDenied):
        unassign_reviewer(assignment, by=hall.dana)
    with pytest.raises(PermissionDenied):
        waive_conflict(hall.p, hall.dana, source="is_author", by=hall.dana)
    with pytest.raises(PermissionDenied):
        declare_conflict(hall.p, fiona, source="chair_added", by=hall.dana)

    assert p_reviewer_emails(hall) == sorted(
        [hall.priscilla.email, hall.percival.email]
    )


# --- finding 4: every aggregate covers only what the chair may see ----------------
def loads(response) -> dict[str, int]:
    return {r.email: r.load for r in response.context["reviewers"]}


def test_reviewer_loads_count_only_visible_assignments(hall, login):
    theirs = loads(login(hall.chair).get(reverse("reviews:assignments")))
    mine = loads(login(hall.dana).get(reverse("reviews:assignments")))

    assert (theirs[hall.priscilla.email], theirs[hall.percival.email]) == (2, 1)
    assert (mine[hall.priscilla.email], mine[hall.percival.email]) == (1, 0)


def test_the_overview_counts_only_visible_submissions(hall, login):
    for submission in (hall.p, hall.visible[0]):
        Bid.objects.create(
            reviewer=hall.friends[0],
            submission=submission,
            value="eager",
            updated_at="2022-05-30T00:00:00Z",
        )

    theirs = login(hall.chair).get(reverse("reviews:chair")).context
    mine = login(hall.dana).get(reverse("reviews:chair")).context

    assert (theirs["assignment_count"], theirs["bid_count"]) == (3, 2)
    assert (theirs["submission_count"], theirs["short_count"]) == (4, 4)
    assert (mine["assignment_count"], mine["bid_count"]) == (1, 1)
    assert (mine["submission_count"], mine["short_count"]) == (3, 3)


def test_proposal_tables_count_only_visible_submissions(hall, login):
    run = AssignmentRun.objects.create(created_by=hall.chair)
    compute_run(run.pk)
    run.refresh_from_db()
    url = reverse("reviews:run", args=[run.pk])
    on_p = sum(1 for s, _, _ in run.result["pairs"] if s == hall.p.pk)

    theirs = login(hall.chair).get(url).context
    mine = login(hall.dana).get(url).context
    their_list = login(hall.chair).get(reverse("reviews:runs")).context["runs"]
    my_list = login(hall.dana).get(reverse("reviews:runs")).context["runs"]

    their_loads = {
        row["reviewer"].email: row["load"] for row in theirs["reviewer_rows"]
    }
    my_loads = {row["reviewer"].email: row["load"] for row in mine["reviewer_rows"]}
    assert on_p == 1
    assert (theirs["kept_count"], mine["kept_count"]) == (3, 1)
    assert (theirs["added_count"], mine["added_count"]) == (9, 8)
    assert (theirs["hidden_count"], mine["hidden_count"]) == (0, 1)
    assert (their_loads[hall.priscilla.email], my_loads[hall.priscilla.email]) == (2, 1)
    assert their_loads[hall.percival.email] == 1
    assert hall.percival.email not in my_loads
    assert sum(my_loads.values()) == 1 + 8
    reviewer_count = User.objects.filter(groups__name="reviewers").count()
    for context in (theirs, mine):
        assert sum(count for _, count in context["histogram"]) == reviewer_count
    assert (their_list[0].shown_pair_count, my_list[0].shown_pair_count) == (9, 8)
    assert [row["submission"].number for row in mine["rows"]] == [2, 3, 4]


CHAIR_PAGES = [*test_views.CHAIR_PAGES, "reviews:chair-reviews", "reviews:review-form"]


def test_no_chair_page_under_reviews_names_the_hidden_submission(hall, login):
    run = AssignmentRun.objects.create(created_by=hall.chair)
    compute_run(run.pk)
    pages = [reverse(name) for name in CHAIR_PAGES]
    pages += [
        reverse("reviews:run", args=[run.pk]),
        reverse("reviews:conflicts") + "?submission=1",
    ]

    theirs = {url: login(hall.chair).get(url) for url in pages}
    mine = {url: login(hall.dana).get(url) for url in pages}

    assert P_TITLE in theirs[reverse("reviews:assignments")].content.decode()
    assert PERCIVAL in theirs[reverse("reviews:run", args=[run.pk])].content.decode()
    for url, response in mine.items():
        html = response.content.decode()
        assert response.status_code == 200, url
        assert P_TITLE not in html, url
        if url != reverse("reviews:assignments"):  # lists the whole pool's loads
            assert PERCIVAL not in html, url
    own = login(hall.dana).get(reverse("reviews:chair-submission", args=[1]))
    assert own.status_code == 404


def test_a_co_authorship_reason_never_names_the_hidden_submission(world, login):
    """Rosa co-authors #1 with Olga, who wrote #2: her conflict with #2 names #1,
    which the conflicted chair may not see."""
    rosa = UserFactory(
        email="rosa@rosa-lab.example.net", name="Rosa Bridge", role="reviewer"
    )
    for order, person in enumerate((rosa, world.other_author), start=5):
        Author.objects.create(
            submission=world.submission,
            order=order,
            name=person.name,
            email=person.email,
            user=person,
        )
    url = reverse("reviews:conflicts") + "?submission=2"
    assign = {"submission": 2, "reviewer": rosa.email}

    theirs = login(world.chair).get(url).content.decode()
    mine = login(world.conflicted_chair).get(url).content.decode()
    their_refusal = login(world.chair).post(reverse("reviews:assignments"), assign)
    my_refusal = login(world.conflicted_chair).post(
        reverse("reviews:assignments"), assign
    )

    assert "Olga Other (other@elsewhere.example) on #1" in theirs
    assert "on #1" not in mine
    assert "Co-author of one of its authors on another submission" in mine
    assert "on #1" in " ".join(their_refusal.context["form"].non_field_errors())
    [message] = my_refusal.context["form"].non_field_errors()
    assert "Co-author" in message
    assert "#1" not in message


# --- list pages stay O(1) queries -------------------------------------------------
def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["reviews:assignments", "reviews:chair", "reviews:conflicts"]
)
def test_conflicted_chair_pages_query_count_is_constant(hall, login, name):
    client = login(hall.dana)
    few = count_queries(client, reverse(name))
    for number in (5, 6, 7):
        submission = SubmissionFactory(
            conference=hall.p.conference, number=number, contact=hall.visible[0].contact
        )
        assign_reviewer(submission, hall.others[0], by=hall.chair, notify=False)

    many = count_queries(client, reverse(name))

    assert many == few
