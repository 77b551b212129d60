"""Issue 16 in Chromium: the author response journey (chair opens the window →
the author reads the reviews and answers → the reviewers are mailed → a reviewer
updates their review → the chair sees "updated after response") and the Markdown
preview. The autosave: tests/reviews/test_autosave_browser.py.

The world is the reviewing world of tests/reviews/conftest.py, built with the
services; the clock is the demo clock (HAET_NOW), as the live server reads it."""

import re

import pytest

from haet.outbox.models import OutboxMail
from reviews.models import AuthorResponse, Review, ReviewAfterResponse
from reviews.reviewing import save_review
from tests.conftest import PASSWORD
from tests.reviews.conftest import (
    LEAK_NAME,
    REVIEW_TIME,
    SECOND_NAME,
    Reviewing,
    World,
    answers,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world_in_review(conference, author, chair, settings):
    settings.HAET_NOW = REVIEW_TIME  # 5 June 2022: reviews open
    return Reviewing(World(conference, author, chair))


@pytest.fixture
def sign_in(browser, live_server):
    contexts = []

    def as_(user):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
        page.wait_for_url(re.compile("/$"))
        return page

    yield as_
    for context in contexts:
        context.close()


def test_author_response_journey(world_in_review, sign_in, artifacts, settings):
    reviewing = world_in_review
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)

    # The chair opens the window, in the conference's zone.
    chair = sign_in(reviewing.chair)
    chair.goto("/reviews/chair/")
    chair.get_by_role("link", name=re.compile("Author response")).click()
    chair.get_by_label("Authors may respond").check()
    chair.fill("input[name=open_day]", "2022-06-04")
    chair.fill("input[name=open_clock]", "00:00")
    chair.fill("input[name=close_day]", "2022-06-06")
    chair.fill("input[name=close_clock]", "23:59")
    chair.fill("input[name=word_limit]", "60")
    chair.get_by_role("button", name="Save").click()
    assert "Response window saved." in chair.locator(".messages").inner_text()
    assert "6 June 2022, 11:59 pm" in chair.content()
    # Reviewers may update their reviews three days longer by default.
    window = chair.locator("p", has_text="reviewers may update their reviews until")
    assert "9 June 2022, 11:59 pm" in window.inner_text()

    # The author reads the reviews so far, drafts, previews and submits.
    author = sign_in(reviewing.world.author)
    author.goto("/submissions/1/")
    author.get_by_role("link", name="Read the reviews and respond").click()
    author.wait_for_url(re.compile("/reviews/response/1/$"))
    assert "Second opinion: needs more work." in author.content()
    assert SECOND_NAME not in author.content()
    text = "We thank the reviewers.\n\n**Benchmarks:** a second one is in the appendix."
    author.fill("textarea[name=text]", text)
    author.get_by_role("button", name="Preview").click()
    preview = author.locator(".markdown-preview")
    preview.locator("strong", has_text="Benchmarks:").wait_for()
    author.get_by_role("button", name="Save draft").click()
    assert "Draft saved" in author.locator(".messages").inner_text()
    assert author.locator("textarea[name=text]").input_value() == text
    # Naming an author is refused; the text typed stays.
    author.fill("textarea[name=text]", f"{LEAK_NAME} wrote the appendix.")
    author.get_by_role("button", name="Submit response").click()
    assert "names an author" in author.locator(".message.error").inner_text()
    assert LEAK_NAME in author.locator("textarea[name=text]").input_value()
    author.fill("textarea[name=text]", text)
    author.get_by_role("button", name="Submit response").click()
    assert "Response submitted" in author.locator(".messages").inner_text()
    assert AuthorResponse.objects.get().is_submitted

    # Each assigned reviewer got one mail, linking the review page.
    mails = OutboxMail.objects.filter(template="author_response")
    assert sorted(m.to_email for m in mails) == sorted(
        [reviewing.reviewer.email, reviewing.second.email]
    )
    mail = mails.get(to_email=reviewing.reviewer.email)
    link = re.search(r"https?://\S+(/reviews/1/#response)", mail.body_text).group(1)

    # The reviewer reads the response and raises their score, after the review
    # deadline (8 June 23:59 UTC-11) but before the date for updates.
    settings.HAET_NOW = "2022-06-09T18:00:00Z"
    reviewer = sign_in(reviewing.reviewer)
    reviewer.goto(link)
    assert "in the light of the authors" in reviewer.locator("#review + p").inner_text()
    response_block = reviewer.locator(".card.response")
    assert "Benchmarks:" in response_block.locator("strong").inner_text()
    reviewer.locator("input[name=q_score][value='3']").check()
    reviewer.get_by_role("button", name="Update review").click()
    reviewer.wait_for_url(re.compile("/reviews/1/#reviews$"))
    assert Review.objects.get(assignment=reviewing.assignment).score == 3

    # The chair sees the change.
    chair.goto("/reviews/chair/reviews/1/")
    reviewer_card = chair.locator(".review-quality").filter(
        has_text="updated after response"
    )
    assert "score 2 → 3" in reviewer_card.inner_text()
    assert ReviewAfterResponse.objects.count() == 1
    chair.screenshot(path=str(artifacts / "reviews-response-chair.png"), full_page=True)


def test_markdown_preview_in_the_review_and_the_discussion(world_in_review, sign_in):
    reviewing = world_in_review
    reviewer = sign_in(reviewing.second)  # has reviewed: the discussion is open
    reviewer.goto("/reviews/1/")
    typed = "**Sure**, see [docs](https://example.org) <img src=x onerror=alert(1)>"

    reviewer.fill("textarea[name=body]", typed)
    form = reviewer.locator("form.post-form")
    form.get_by_role("button", name="Preview").click()
    preview = form.locator(".markdown-preview")
    preview.locator("strong", has_text="Sure").wait_for()

    assert preview.locator("a").get_attribute("href") == "https://example.org"
    assert preview.locator("img").count() == 0
    assert "<img src=x onerror=alert(1)>" in preview.inner_text()
    assert reviewer.locator("textarea[name=body]").input_value() == typed
    form.get_by_role("button", name="Post").click()
    post = reviewer.locator("ol.posts li.post").last
    assert post.locator(".post-body strong").inner_text() == "Sure"

    # A review answer: its own Preview button, under its text area.
    reviewer.fill("textarea[name=q_comments]", "- first point\n- _second_ point")
    reviewer.locator("textarea[name=q_comments] + button").click()
    answer_preview = reviewer.locator("#id_q_comments-preview")
    answer_preview.locator("li em", has_text="second").wait_for()
    assert answer_preview.locator("li").count() == 2


def test_a_post_at_the_limit_with_line_breaks_is_posted(world_in_review, sign_in):
    """The browser lets 10,000 characters in, counting each line break as one,
    and sends each as two: the post is taken as the browser counted it."""
    from reviews.models import DiscussionPost

    reviewer = sign_in(world_in_review.second)  # has reviewed: the discussion is open
    reviewer.goto("/reviews/1/")
    text = "\n".join(["y" * 99] * 100) + "z"  # 10,000 with its 99 line breaks
    box = reviewer.locator("textarea[name=body]")
    box.fill(text)
    assert box.evaluate("e => e.value.length") == 10_000
    assert box.evaluate("e => e.validity.valid")

    reviewer.locator("form.post-form").get_by_role("button", name="Post").click()

    assert "Posted." in reviewer.locator(".messages").inner_text()
    assert DiscussionPost.objects.get().body == text
