"""The chair's minimum load per reviewer and the fairness figures of proposals."""

import re

import pytest
from django.urls import reverse

from haet.models import User
from haet.rules import REVIEWERS
from reviews.assignment_runs import compute_run
from reviews.models import AssignmentRun, ReviewerProfile, ReviewSettings
from tests.conftest import PASSWORD
from tests.factories import SubmissionFactory
from tests.reviews.test_browser import wait_for_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def star_pool(conference, author, make_reviewer, topics):
    """Two submissions on one topic, one reviewer each; `star` knows the topic,
    `novice` does not."""
    settings = ReviewSettings.objects.for_conference(conference)
    settings.reviewers_per_submission = 1
    settings.save()
    submissions = [
        SubmissionFactory(
            conference=conference,
            number=n,
            contact=author,
            title=title,
            topics=topics[:1],
        )
        for n, title in [(1, "Sparse training on FPGAs"), (2, "Sparse FPGA kernels")]
    ]
    star = make_reviewer("star@lab1.example.net", name="Stella Star")
    novice = make_reviewer("novice@lab2.example.net", name="Nico Novice")
    ReviewerProfile.objects.create(user=star, max_assignments=2).topics.set(topics[:1])
    ReviewerProfile.objects.create(user=novice, max_assignments=2).topics.set(
        topics[3:4]
    )
    # Anyone else in the pool (chairs may review too) takes no submission here.
    for other in User.objects.filter(groups__name=REVIEWERS).exclude(
        pk__in=[star.pk, novice.pk]
    ):
        ReviewerProfile.objects.update_or_create(
            user=other, defaults={"max_assignments": 0}
        )
    return submissions, star, novice


def propose(client, **data):
    return client.post(reverse("reviews:runs"), {"affinity_source": "computed", **data})


@pytest.mark.parametrize(
    "persona", ["anonymous", "author", "reviewer", "conflicted_reviewer"]
)
def test_only_chairs_can_propose_with_a_minimum_load(world, client, persona):
    user = world.user(persona)
    if user:
        client.force_login(user)

    response = propose(client, min_load="2")

    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert not AssignmentRun.objects.exists()


@pytest.mark.parametrize("persona", ["chair", "conflicted_chair"])
def test_chairs_propose_with_a_minimum_load(world, client, persona):
    client.force_login(world.user(persona))

    page = client.get(reverse("reviews:runs"))
    response = propose(client, min_load="2")

    assert 'name="min_load"' in page.content.decode()
    run = AssignmentRun.objects.get()
    assert response["Location"] == reverse("reviews:run", args=[run.pk])
    assert run.params["min_load"] == 2


def test_a_negative_minimum_load_is_refused(world, client):
    client.force_login(world.chair)

    response = propose(client, min_load="-1")

    assert response.status_code == 200
    assert "min_load" in response.context["form"].errors
    assert not AssignmentRun.objects.exists()


def test_minimum_load_moves_a_pair_and_the_page_shows_the_figures(
    star_pool, chair, client
):
    _submissions, star, novice = star_pool
    client.force_login(chair)

    plain = AssignmentRun.objects.create(created_by=chair, params={"fair": False})
    spread = AssignmentRun.objects.create(
        created_by=chair, params={"fair": False, "min_load": 1}
    )
    for run in (plain, spread):
        compute_run(run.pk)
        run.refresh_from_db()
    listing = client.get(reverse("reviews:runs")).content.decode()
    detail = client.get(reverse("reviews:run", args=[spread.pk])).content.decode()

    plain_reviewers = {r for _, r, _ in plain.result["pairs"]}
    spread_reviewers = {r for _, r, _ in spread.result["pairs"]}
    assert star.pk in plain_reviewers
    assert novice.pk not in plain_reviewers
    assert novice.pk in spread_reviewers  # one pair moved to reach the minimum
    assert spread.result["total_score"] < plain.result["total_score"]
    for run in (plain, spread):
        assert run.result["lp_bound"] >= run.result["min_paper_score"] - 1e-9
    assert "min load 1" in listing
    assert re.search(r"lowest [\d.]+ of LP bound [\d.]+, total [\d.]+", listing)
    assert "LP bound" in detail
    assert f"{spread.result['lp_bound']:.2f}" in detail


def test_reviewers_below_the_minimum_load_are_named(star_pool, chair, client):
    # Two slots, and every reviewer wants two: the star keeps both (affinity).
    _submissions, star, novice = star_pool
    client.force_login(chair)
    run = AssignmentRun.objects.create(created_by=chair, params={"min_load": 2})

    compute_run(run.pk)
    run.refresh_from_db()
    detail = client.get(reverse("reviews:run", args=[run.pk])).content.decode()

    assert str(novice.pk) in run.result["below_min_load"]
    assert str(star.pk) not in run.result["below_min_load"]
    section = detail.split('id="below-min-load"')[1].split("</section>")[0]
    assert "Nico Novice" in section
    assert "0 of 2" in section
    assert "Stella Star" not in section


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chair_sees_the_minimum_load_option_and_the_figures(
    page, conference, chair, author, make_reviewer, topics, artifacts
):
    SubmissionFactory(
        conference=conference, number=1, contact=author, topics=topics[:1]
    )
    ReviewerProfile.objects.create(
        user=make_reviewer("r1@lab1.example.net"), max_assignments=3
    )
    page.goto("/accounts/login/")
    page.fill("input[name=login]", chair.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(reverse("reviews:runs"))
    page.get_by_label(re.compile("Minimum load")).fill("1")
    page.get_by_role("button", name="Propose an assignment").click()
    page.wait_for_url(re.compile(r"/reviews/chair/assignment-runs/\d+/"))
    wait_for_proposal(page)

    assert "LP bound" in page.locator(".run-summary").inner_text()
    page.screenshot(path=str(artifacts / "reviews-proposal-min-load.png"))
    page.goto(reverse("reviews:runs"))
    assert "min load 1" in page.locator("table.runs").inner_text()
    assert "LP bound" in page.locator("table.runs").inner_text()
    page.screenshot(path=str(artifacts / "reviews-proposals-figures.png"))
