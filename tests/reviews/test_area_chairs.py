"""Area chairs: the role, invitations, assignment by hand and by the solver (k = 1,
their own loads, the reviewers' conflict rules), and what an area chair sees: the
reviews and discussion of THEIR submissions only, blind, nothing of a conflicted
one. Every page for every persona; constant queries on the list pages."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet.outbox.models import OutboxMail
from haet.rules import AREA_CHAIRS
from reviews.area_chair_solver import assign_area_chairs_automatically
from reviews.area_chairs import (
    answer_area_chair_invitation,
    assign_area_chair,
    dismiss_area_chair,
    invite_area_chair,
)
from reviews.assigning import assign_reviewer
from reviews.models import AreaChairAssignment, AreaChairInvitation, AreaChairSettings
from reviews.reviewing import post_to_discussion
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory
from tests.reviews.conftest import LEAK_AFFILIATION, LEAK_EMAIL, LEAK_NAME

pytestmark = pytest.mark.django_db

REVIEW_TEXT = "The sparsity schedule is convincing; the FPGA numbers less so."
POST_TEXT = "Reviewer 1 here: I would accept if the energy numbers hold."


class World:
    """#1 has a distinctive third author (quixotic-institute.example); `area_chair`
    oversees #1, `other_area_chair` nothing; `conflicted_area_chair` shares #1's
    author's domain; `reviewer` reviewed #1 and posted in its discussion;
    `conflicted_chair` is conflicted with #1."""

    def __init__(self, conference, author, chair):
        self.conference, self.author, self.chair = conference, author, chair
        self.area_chair = UserFactory(
            email="ac@ac.example.net", name="Ari Area", role="area_chair"
        )
        self.other_area_chair = UserFactory(
            email="ac2@ac2.example.net", name="Bo Other", role="area_chair"
        )
        self.conflicted_area_chair = UserFactory(
            email="prof@quixotic-institute.example", name="Pat Prof", role="area_chair"
        )
        self.conflicted_chair = UserFactory(
            email="dean@quixotic-institute.example", name="Dana Dean", role="chair"
        )
        self.reviewer = UserFactory(
            email="rita@rev.example.net", name="Rita Reviewer", role="reviewer"
        )
        self.submission = SubmissionFactory(
            conference=conference,
            number=1,
            contact=author,
            authors=[(LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION)],
            title="Sparse training on FPGAs",
        )
        self.other = SubmissionFactory(
            conference=conference, number=2, contact=author, title="Energy of GPUs"
        )
        assignment, _ = assign_reviewer(
            self.submission, self.reviewer, by=chair, notify=False
        )
        ReviewFactory(assignment=assignment, score=2, comments=REVIEW_TEXT)
        post_to_discussion(self.submission, POST_TEXT, by=chair)
        assign_area_chair(self.submission, self.area_chair, by=chair)


@pytest.fixture
def world(conference, author, chair):
    return World(conference, author, chair)


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "302"
    return response.status_code


# --- services -----------------------------------------------------------------------
def test_a_conflicted_area_chair_is_refused_with_the_reason(world):
    with pytest.raises(ValidationError) as refused:
        assign_area_chair(world.submission, world.conflicted_area_chair, by=world.chair)

    assert "conflicted with #1" in refused.value.messages[0]
    assert "quixotic-institute.example" in refused.value.messages[0]
    assert world.submission.area_chair_assignment.area_chair == world.area_chair


def test_only_area_chairs_can_be_assigned_and_one_per_submission(world):
    with pytest.raises(ValidationError, match="is not an area chair"):
        assign_area_chair(world.submission, world.reviewer, by=world.chair)

    assign_area_chair(world.submission, world.other_area_chair, by=world.chair)

    assert list(
        AreaChairAssignment.objects.values_list("submission__number", "area_chair")
    ) == [(1, world.other_area_chair.pk)]


def test_a_conflicted_chair_cannot_assign_an_area_chair(world):
    with pytest.raises(PermissionDenied):
        assign_area_chair(
            world.submission, world.other_area_chair, by=world.conflicted_chair
        )


def test_an_area_chair_who_oversees_submissions_cannot_be_dismissed(world):
    with pytest.raises(ValidationError, match="still oversees"):
        dismiss_area_chair(world.area_chair, by=world.chair)

    dismiss_area_chair(world.other_area_chair, by=world.chair)

    assert not world.other_area_chair.groups.filter(name=AREA_CHAIRS).exists()


def test_the_solver_gives_each_submission_one_unconflicted_area_chair(
    world, conference, author
):
    AreaChairAssignment.objects.all().delete()
    for number in (3, 4, 5):
        SubmissionFactory(conference=conference, number=number, contact=author)
    AreaChairSettings.objects.update_or_create(
        conference=conference, defaults={"max_load": 2}
    )

    run = assign_area_chairs_automatically(conference, by=world.chair)

    pairs = dict(
        AreaChairAssignment.objects.values_list("submission__number", "area_chair")
    )
    assert run.assigned == 5
    assert run.unfilled == []
    assert sorted(pairs) == [1, 2, 3, 4, 5]
    assert pairs[1] != world.conflicted_area_chair.pk
    loads = list(pairs.values())
    assert max(loads.count(pk) for pk in set(loads)) == 2
    # Running it again changes nothing.
    assert assign_area_chairs_automatically(conference, by=world.chair).assigned == 0


def test_an_invited_person_accepts_and_becomes_an_area_chair(world, outsider):
    invitation, is_new = invite_area_chair(
        "Outsider@Example.org", name="Otto", by=world.chair
    )
    again, is_new_again = invite_area_chair("outsider@example.org", by=world.chair)

    assert (is_new, is_new_again, again) == (True, False, invitation)
    mail = OutboxMail.objects.get(to_email="outsider@example.org")
    assert invitation.token in mail.body_text

    answer_area_chair_invitation(invitation, user=outsider, accept=True)

    assert outsider.groups.filter(name=AREA_CHAIRS).exists()
    invitation.refresh_from_db()
    assert invitation.status == AreaChairInvitation.Status.ACCEPTED


def test_the_invitation_page_accepts_for_the_signed_in_person(world, client, outsider):
    invitation, _ = invite_area_chair("otto@example.org", by=world.chair)
    url = reverse("reviews:area-chair-invitation", args=[invitation.token])

    assert get(client, None, url) == "login"
    client.force_login(outsider)
    response = client.post(url, {"answer": "accept"})

    assert response["Location"] == reverse("reviews:area-chair-dashboard")
    assert Group.objects.get(name=AREA_CHAIRS).user_set.filter(pk=outsider.pk).exists()


# --- pages ---------------------------------------------------------------------------
def test_the_area_chair_reads_reviews_and_discussion_blind(world, client):
    client.force_login(world.area_chair)

    response = client.get(reverse("reviews:area-chair-submission", args=[1]))

    text = response.content.decode()
    assert response.status_code == 200
    assert REVIEW_TEXT in text
    assert POST_TEXT in text
    assert "Reviewer 1" in text
    for leak in (LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION, "Rita Reviewer"):
        assert leak not in text
    assert "view" not in response.context  # the view holds the Submission


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (None, "login"),
        ("author", 404),
        ("reviewer", 404),
        ("other_area_chair", 404),
        ("conflicted_area_chair", 404),
        ("chair", 404),
        ("area_chair", 200),
    ],
)
def test_an_area_chair_page_opens_for_its_area_chair_only(
    world, client, persona, expected
):
    user = getattr(world, persona) if persona else None
    url = reverse("reviews:area-chair-submission", args=[1])

    assert get(client, user, url) == expected
    # A number that does not exist answers the same.
    missing = reverse("reviews:area-chair-submission", args=[99])
    assert get(client, user, missing) == (expected if expected != 200 else 404)


def test_a_conflicted_area_chair_sees_nothing_of_the_submission(world, client):
    # Assigned before the conflict was known (no service would assign it now).
    AreaChairAssignment.objects.filter(submission=world.submission).update(
        area_chair=world.conflicted_area_chair
    )
    client.force_login(world.conflicted_area_chair)

    dashboard = client.get(reverse("reviews:area-chair-dashboard"))
    page = client.get(reverse("reviews:area-chair-submission", args=[1]))

    assert dashboard.context["rows"] == []
    assert page.status_code == 404


@pytest.mark.parametrize(
    ("persona", "dashboard", "chair_page"),
    [
        (None, "login", "login"),
        ("author", 404, 404),
        ("reviewer", 404, 404),
        ("area_chair", 200, 404),
        ("chair", 404, 200),
        ("conflicted_chair", 404, 200),
    ],
)
def test_dashboard_and_chair_page_by_persona(
    world, client, persona, dashboard, chair_page
):
    user = getattr(world, persona) if persona else None

    assert get(client, user, reverse("reviews:area-chair-dashboard")) == dashboard
    assert get(client, user, reverse("reviews:area-chairs")) == chair_page


def test_the_chairs_page_hides_a_conflicted_chairs_submissions(world, client):
    client.force_login(world.conflicted_chair)

    response = client.get(reverse("reviews:area-chairs"))
    refused = client.post(
        reverse("reviews:area-chairs"),
        {"action": "assign", "number": 1, "area_chair": world.other_area_chair.pk},
    )

    assert [s.number for s in response.context["submissions"]] == [2]
    assert "Sparse training on FPGAs" not in response.content.decode()
    # The area chair's load does not count the hidden submission either.
    loads = {p.pk: p.load for p in response.context["people"]}
    assert loads[world.area_chair.pk] == 0
    assert refused.status_code == 404
    assert world.submission.area_chair_assignment.area_chair == world.area_chair


def test_the_chair_assigns_by_hand_and_a_conflict_is_explained(world, client):
    client.force_login(world.chair)
    url = reverse("reviews:area-chairs")

    client.post(
        url, {"action": "assign", "number": 2, "area_chair": world.other_area_chair.pk}
    )
    refused = client.post(
        url,
        {"action": "assign", "number": 1, "area_chair": world.conflicted_area_chair.pk},
        follow=True,
    )

    assert AreaChairAssignment.objects.get(submission=world.other).area_chair == (
        world.other_area_chair
    )
    assert "is conflicted with #1" in refused.content.decode()


def test_bad_settings_get_a_message(world, client):
    client.force_login(world.chair)

    response = client.post(
        reverse("reviews:area-chairs"),
        {"action": "settings", "max_load": "many", "is_enabled": "on"},
        follow=True,
    )

    assert "The load must be a whole number." in response.content.decode()
    assert not AreaChairSettings.objects.filter(is_enabled=True).exists()


# --- constant queries ---------------------------------------------------------------
def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm: settings rows created on first use
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_cost_constant_queries(world, client, conference, author):
    pages = [
        (world.chair, reverse("reviews:area-chairs")),
        (world.area_chair, reverse("reviews:area-chair-dashboard")),
    ]
    small = [_queries(client, user, url) for user, url in pages]
    for number in range(3, 7):
        submission = SubmissionFactory(
            conference=conference, number=number, contact=author
        )
        assign_area_chair(submission, world.area_chair, by=world.chair)
        assignment, _ = assign_reviewer(
            submission, world.reviewer, by=world.chair, notify=False
        )
        ReviewFactory(assignment=assignment, score=1)
    UserFactory(email="ac3@ac3.example.net", role="area_chair")

    large = [_queries(client, user, url) for user, url in pages]

    assert large == small
    client.force_login(world.area_chair)
    rows = client.get(reverse("reviews:area-chair-dashboard")).context["rows"]
    assert [(r.number, r.reviews_done, r.reviewers) for r in rows][:2] == [
        (1, 1, 1),
        (3, 1, 1),
    ]


def test_the_area_chair_downloads_the_reviewer_copy_of_their_submission(
    world, client, conference, author
):
    submission = SubmissionFactory(
        conference=conference, number=7, contact=author, uploaded=True
    )
    assign_area_chair(submission, world.area_chair, by=world.chair)
    url = reverse("reviews:area-chair-paper", args=[7])

    client.force_login(world.area_chair)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert get(client, world.other_area_chair, url) == 404
    assert get(client, world.reviewer, url) == 404
    assert (
        get(client, world.area_chair, reverse("reviews:area-chair-paper", args=[2]))
        == 404
    )


def test_area_chairs_are_told_of_their_submissions_once_and_blind(
    world, conference, author
):
    mails = OutboxMail.objects.filter(template="area_chair_assignment")
    # The world's assignment by hand: one mail, numbers and titles only.
    (first,) = mails.filter(to_email=world.area_chair.email)
    assert "#1 Sparse training on FPGAs" in first.body_text
    for leak in (LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION, author.email):
        assert leak not in first.body_text + first.body_html
    assign_area_chair(world.submission, world.area_chair, by=world.chair)
    assert mails.count() == 1  # the same area chair again: nothing new

    AreaChairAssignment.objects.filter(submission=world.other).delete()
    for number in (3, 4):
        SubmissionFactory(conference=conference, number=number, contact=author)
    assign_area_chairs_automatically(conference, by=world.chair)

    digests = mails.exclude(pk=first.pk)
    per_person = sorted((m.to_email, m.body_text.count("\n  #")) for m in digests)
    assert sum(count for _, count in per_person) == 3  # #2, #3, #4
    assert len({email for email, _ in per_person}) == len(per_person)
