"""Area chairs post in the discussion of the submissions they oversee (issue 16):
signed "Area chair" to reviewers (page and mail), never by name; nobody else gains
anything, and a forbidden submission is a 404. What the reviews mark for the chairs
only stays hidden from them."""

import pytest
from django.urls import reverse

from haet.outbox.models import OutboxMail
from reviews.area_chairs import assign_area_chair
from reviews.models import AreaChairAssignment, DiscussionPost, ReviewSettings
from reviews.reviewing import post_to_discussion, save_review
from tests.factories import UserFactory
from tests.reviews.conftest import answers
from tests.reviews.test_leaks import found

pytestmark = pytest.mark.django_db

AC_NAME = "Ariadne Areachair"
CONFIDENTIAL = "Borderline for me; happy to be convinced."


class AreaChairs:
    """`area_chair` oversees #1, `other_area_chair` #2; `conflicted_area_chair`
    (the co-author's domain) is #1's area chair in the variant that needs it;
    `reviewer` submitted their review of #1, so they read its discussion."""

    def __init__(self, reviewing):
        world = reviewing.world
        self.world = world
        self.area_chair = UserFactory(
            email="ari@ac.example.net", name=AC_NAME, role="area_chair"
        )
        self.other_area_chair = UserFactory(
            email="bo@ac2.example.net", name="Bo Other", role="area_chair"
        )
        self.conflicted_area_chair = UserFactory(
            email="prof@quixotic-institute.example", name="Pat Prof", role="area_chair"
        )
        assign_area_chair(world.submission, self.area_chair, by=world.chair)
        assign_area_chair(world.other_submission, self.other_area_chair, by=world.chair)
        save_review(world.assignment, answers(), by=world.reviewer, submit=True)


@pytest.fixture
def acs(reviewing):
    return AreaChairs(reviewing)


def post(client, user, number=1, body="What do you make of the energy numbers?"):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.post(reverse("reviews:discussion", args=[number]), {"body": body})


PAGE = {
    "reviewer": ("reviews:submission", 1),
    "chair": ("reviews:chair-submission", 1),
    "area_chair": ("reviews:area-chair-submission", 1),
}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "login"),
        ("author", 404),
        ("reviewer", "reviewer"),
        ("conflicted_reviewer", 404),
        ("chair", "chair"),
        ("conflicted_chair", 404),
        ("area_chair", "area_chair"),
        ("other_area_chair", 404),
        ("conflicted_area_chair", 404),
    ],
)
def test_who_may_post_in_the_discussion(client, reviewing, acs, persona, expected):
    world = reviewing.world
    if persona == "conflicted_reviewer":
        reviewing.conflict_later()  # the assigned reviewer, conflicted since
        user = world.reviewer
    elif persona == "conflicted_area_chair":
        # Assigned before the conflict was known (no service would assign it now).
        AreaChairAssignment.objects.filter(submission=world.submission).update(
            area_chair=acs.conflicted_area_chair
        )
        user = acs.conflicted_area_chair
    elif persona.endswith("area_chair"):
        user = getattr(acs, persona)
    else:
        user = world.user(persona)
    before = DiscussionPost.objects.count()

    response = post(client, user)

    if expected == "login":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif expected == 404:
        assert response.status_code == 404
    else:
        name, number = PAGE[expected]
        assert response.status_code == 302
        assert response["Location"] == reverse(name, args=[number]) + "#discussion"
    posted = expected not in ("login", 404)
    assert DiscussionPost.objects.count() == before + posted


def test_an_area_chair_of_another_submission_gets_404_on_it(client, acs):
    response = post(client, acs.area_chair, number=2)

    assert response.status_code == 404
    assert not DiscussionPost.objects.filter(author=acs.area_chair).exists()


def test_reviewers_read_area_chair_never_the_name(client, reviewing, acs):
    world = reviewing.world
    post(client, acs.area_chair, body="Please discuss the benchmark.")

    client.force_login(world.reviewer)
    page = client.get(reverse("reviews:submission", args=[1])).text
    mails = OutboxMail.objects.filter(template="discussion_posted")

    assert "Please discuss the benchmark." in page
    assert "<strong>Area chair</strong>" in page
    assert AC_NAME not in page
    assert sorted(m.to_email for m in mails) == sorted(
        [world.reviewer.email, reviewing.second.email]
    )
    for mail in mails:
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
        assert "Area chair posted" in text
        assert AC_NAME not in text
        assert acs.area_chair.email not in text
        assert found(text) == []


def test_the_chair_sees_who_the_area_chair_is(client, reviewing, acs):
    post(client, acs.area_chair, body="Please discuss the benchmark.")
    client.force_login(reviewing.world.chair)

    page = client.get(reverse("reviews:chair-submission", args=[1])).text

    assert "<strong>Area chair</strong>" in page
    assert AC_NAME in page
    assert CONFIDENTIAL in page  # the chairs read what area chairs do not


def test_the_area_chairs_page_has_the_form_and_hides_chairs_only_answers(
    client, reviewing, acs
):
    client.force_login(acs.area_chair)

    page = client.get(reverse("reviews:area-chair-submission", args=[1])).text

    assert reverse("reviews:discussion", args=[1]) in page
    assert "Signed “Area chair”" in page
    assert "Clear energy measurements." in page  # the review itself
    assert CONFIDENTIAL not in page  # "for the chairs only"
    assert found(page) == []


def test_the_area_chair_posts_even_before_the_discussion_opens(reviewing, acs):
    ReviewSettings.objects.filter(conference=reviewing.world.conference).update(
        is_discussion_open=False
    )
    submission = type(reviewing.submission).objects.get(pk=reviewing.submission.pk)

    posted = post_to_discussion(
        submission, "Reviewers: please wait.", by=acs.area_chair
    )

    assert posted.author == acs.area_chair
    assert acs.area_chair.has_perm("reviews.read_discussion", submission)
    assert not acs.other_area_chair.has_perm("reviews.read_discussion", submission)
