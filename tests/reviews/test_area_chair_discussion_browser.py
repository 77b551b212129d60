"""Issue 16 in Chromium: an area chair opens their submission from the "Area chair"
menu, reads the reviews and posts in the discussion; the assigned reviewer then
reads the post signed "Area chair", never the area chair's name (on the page and
in the mail), while the chair reads who it was. An area chair of another
submission reaches neither its page nor its discussion.

The world is the reviewing world of tests/reviews/conftest.py, built with the
services; the clock is the demo clock (HAET_NOW), as the live server reads it."""

import re

import pytest
from playwright.sync_api import Page

from haet.outbox.models import OutboxMail
from reviews.area_chairs import assign_area_chair
from reviews.models import DiscussionPost
from reviews.reviewing import save_review
from tests.a11y import assert_accessible
from tests.browser_nav import log_out, nav_click
from tests.factories import UserFactory
from tests.reviews.conftest import LEAK_NAME, REVIEW_TIME, Reviewing, World, answers
from tests.reviews.test_delegation_browser import log_in
from tests.reviews.test_leaks import found

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AC_NAME = "Ariadne Areachair"
AC_EMAIL = "ari@ac.example.net"
POST = "Reviewers 1 and 2 disagree on the energy numbers: which table convinces you?"
CONFIDENTIAL = "Borderline for me; happy to be convinced."


@pytest.fixture
def world_in_review(conference, author, chair, settings):
    settings.HAET_NOW = REVIEW_TIME  # 5 June 2022: reviews open, discussion open
    reviewing = Reviewing(World(conference, author, chair))
    # The assigned reviewer has submitted: they read the discussion.
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    return reviewing


def discussion(page: Page):
    return page.locator("ol.posts")


def test_area_chair_posts_and_the_reviewer_reads_area_chair(
    page, world_in_review, artifacts
):
    reviewing = world_in_review
    world = reviewing.world
    area_chair = UserFactory(email=AC_EMAIL, name=AC_NAME, role="area_chair")
    other_area_chair = UserFactory(
        email="bo@ac2.example.net", name="Bo Other", role="area_chair"
    )
    assign_area_chair(world.submission, area_chair, by=world.chair)
    assign_area_chair(world.other_submission, other_area_chair, by=world.chair)

    # The area chair opens their submission from the menu and posts.
    log_in(page, area_chair.email)
    page.wait_for_url(re.compile("/$"))
    nav_click(page, "Area chair")
    page.get_by_role("link", name="Sparse training of transformers on FPGAs").click()
    page.wait_for_url(re.compile("/reviews/area-chair/1/$"))
    main = page.locator("main").inner_text()
    assert "Clear energy measurements." in main  # the reviews
    assert CONFIDENTIAL not in main  # for the chairs only
    assert "Signed “Area chair”" in main
    assert found(page.content()) == []
    page.get_by_label("Your message").fill(POST)
    page.get_by_role("button", name="Post").click()
    page.wait_for_url(re.compile("/reviews/area-chair/1/#discussion$"))
    posted = discussion(page).locator("li.post", has_text="which table convinces")
    assert "Area chair" in posted.locator(".post-head").inner_text()
    assert "(you)" in posted.locator(".post-head").inner_text()
    assert_accessible(page)
    page.screenshot(
        path=str(artifacts / "reviews-area-chair-discussion.png"), full_page=True
    )
    log_out(page)

    (saved,) = DiscussionPost.objects.all()
    assert (saved.author, saved.submission) == (area_chair, world.submission)

    # The assigned reviewer reads "Area chair", never the name.
    log_in(page, world.reviewer.email)
    page.wait_for_url(re.compile("/$"))
    page.goto("/reviews/1/")
    posted = discussion(page).locator("li.post", has_text="which table convinces")
    head = posted.locator(".post-head strong").inner_text()
    assert head == "Area chair"
    html = page.content()
    assert AC_NAME not in html
    assert AC_EMAIL not in html
    assert found(html) == []
    assert_accessible(page)
    page.screenshot(
        path=str(artifacts / "reviews-area-chair-post-reviewer.png"), full_page=True
    )
    log_out(page)

    # So does their mail (to both assigned reviewers, never the area chair).
    sent = OutboxMail.objects.filter(template="discussion_posted")
    assert sorted(m.to_email for m in sent) == sorted(
        [world.reviewer.email, reviewing.second.email]
    )
    for mail in sent:
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
        assert "Area chair" in text
        assert AC_NAME not in text
        assert found(text) == []
        assert LEAK_NAME not in text

    # The chair reads who the area chair is.
    log_in(page, world.chair.email)
    page.wait_for_url(re.compile("/$"))
    page.goto("/reviews/chair/reviews/1/")
    head = (
        discussion(page)
        .locator("li.post", has_text="which table convinces")
        .locator(".post-head")
        .inner_text()
    )
    assert "Area chair" in head
    assert AC_NAME in head
    log_out(page)

    # Another submission's area chair reaches neither the page nor the discussion.
    log_in(page, other_area_chair.email)
    page.wait_for_url(re.compile("/$"))
    for url in ("/reviews/area-chair/1/", "/reviews/1/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, url
    assert POST not in page.content()
