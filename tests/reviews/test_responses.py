"""The optional author response (issue 16): the window, the authors' page, the
identity scan, the reviewers' mails, reviews updated after it."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haet.outbox.models import OutboxMail
from reviews.models import AuthorResponse, ResponseWindow, ReviewAfterResponse
from reviews.responses import (
    ResponseClosed,
    save_response_draft,
    scan_identity,
    submit_response,
    update_response_window,
)
from reviews.reviewing import save_review
from tests.reviews.conftest import (
    LEAK_AFFILIATION,
    LEAK_EMAIL,
    LEAK_NAME,
    SECOND_EMAIL,
    SECOND_NAME,
    answers,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "author",
    "other_author",
    "reviewer",
    "unassigned_reviewer",
    "conflicted_reviewer",
    "chair",
    "conflicted_chair",
]
TEXT = "We thank the reviewers. **Baselines:** added to the appendix."


def open_window(conference, chair, *, word_limit=500):
    """4-6 June 2022 in the conference's zone; the reviewing world's clock is 5 June."""
    return update_response_window(
        conference,
        is_enabled=True,
        opens_at=datetime(2022, 6, 4, 0, 0, tzinfo=conference.tzinfo),
        last_minute=datetime(2022, 6, 6, 23, 59, tzinfo=conference.tzinfo),
        word_limit=word_limit,
        by=chair,
    )


@pytest.fixture
def window(reviewing):
    return open_window(reviewing.world.conference, reviewing.chair)


def response_url():
    return reverse("reviews:response", args=[1])


def test_the_window_is_off_by_default_and_the_page_404(client, reviewing):
    client.force_login(reviewing.world.author)

    window = ResponseWindow.objects.for_conference(reviewing.world.conference)
    assert not window.is_enabled
    assert client.get(response_url()).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_response_page_access(client, reviewing, window, persona):
    user = reviewing.world.user(persona)
    if user is not None:
        client.force_login(user)

    response = client.get(response_url())

    expected = {"anonymous": 302, "author": 200}.get(persona, 404)
    assert response.status_code == expected


def test_authors_read_the_reviews_so_far_without_reviewer_identity(
    client, reviewing, window
):
    client.force_login(reviewing.world.author)

    page = client.get(response_url()).content.decode()

    assert "Second opinion: needs more work." in page
    assert reviewing.second_assignment.pseudonym in page
    assert SECOND_NAME not in page
    assert SECOND_EMAIL not in page
    # Chairs-only answers never reach authors.
    assert "Borderline for me" not in page
    assert "6 June 2022, 11:59 pm" in page  # the closing, in the conference zone


def test_draft_is_kept_then_submitted_once_and_reviewers_are_mailed(
    client, reviewing, window
):
    client.force_login(reviewing.world.author)

    client.post(response_url(), {"text": "A first draft", "action": "draft"})
    assert AuthorResponse.objects.get().text == "A first draft"
    assert not OutboxMail.objects.filter(template="author_response").exists()

    response = client.post(response_url(), {"text": TEXT, "action": "submit"})
    assert response.status_code == 302

    saved = AuthorResponse.objects.get()
    assert saved.is_submitted
    mails = OutboxMail.objects.filter(template="author_response").order_by("to_email")
    assert sorted(m.to_email for m in mails) == sorted(
        [reviewing.reviewer.email, reviewing.second.email]
    )
    assert all(LEAK_NAME not in m.body_text for m in mails)
    assert len({m.dedupe_key for m in mails}) == 2

    again = client.post(response_url(), {"text": "More", "action": "submit"})
    assert "already submitted" in again.content.decode()
    assert AuthorResponse.objects.get().text == saved.text
    assert OutboxMail.objects.filter(template="author_response").count() == 2


def test_over_the_word_limit_is_refused_and_the_text_kept(client, reviewing):
    open_window(reviewing.world.conference, reviewing.chair, word_limit=5)
    client.force_login(reviewing.world.author)
    text = "one two three four five six seven"

    page = client.post(response_url(), {"text": text, "action": "submit"})

    content = page.content.decode()
    assert "has 7 words; the limit is 5" in content
    assert text in content  # what was typed is still in the form
    response = AuthorResponse.objects.get()
    assert (response.text, response.is_submitted) == (text, False)


@pytest.mark.parametrize("leak", [LEAK_NAME, LEAK_EMAIL])
def test_a_response_naming_an_author_is_refused(client, reviewing, window, leak):
    client.force_login(reviewing.world.author)
    text = f"As {leak} showed, the method works."

    page = client.post(response_url(), {"text": text, "action": "submit"})

    assert "names an author" in page.content.decode()
    assert not AuthorResponse.objects.get().is_submitted
    assert AuthorResponse.objects.get().text == text
    assert not OutboxMail.objects.filter(template="author_response").exists()


def test_affiliations_and_self_citations_are_flagged_for_chairs(
    client, reviewing, window
):
    text = (
        f"Our previous work at the {LEAK_AFFILIATION} measured this; "
        "we previously showed the bound."
    )

    submit_response(reviewing.submission, text, by=reviewing.world.author)

    flags = AuthorResponse.objects.get().identity_flags
    assert LEAK_AFFILIATION in flags
    assert "Possible self-citation" in flags
    client.force_login(reviewing.chair)
    page = client.get(reverse("reviews:chair-submission", args=[1])).content.decode()
    assert "Identity scan" in page


def test_scan_finds_nothing_in_a_plain_response(reviewing):
    scan = scan_identity(reviewing.submission, TEXT)

    assert (scan.blocking, scan.flags) == ("", "")


def test_outside_the_window_nothing_is_saved(reviewing, frozen):
    open_window(reviewing.world.conference, reviewing.chair)
    frozen("2022-06-08T12:00:00Z")  # after 6 June 23:59 in any zone used

    with pytest.raises(ResponseClosed, match="closed"):
        save_response_draft(reviewing.submission, TEXT, by=reviewing.world.author)

    assert not AuthorResponse.objects.exists()


def test_only_authors_respond(reviewing, window):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        submit_response(reviewing.submission, TEXT, by=reviewing.reviewer)


def test_reviewers_read_the_response_and_an_update_is_marked_for_chairs(
    client, reviewing, window
):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    submit_response(reviewing.submission, TEXT, by=reviewing.world.author)
    client.force_login(reviewing.reviewer)

    page = client.get(reverse("reviews:submission", args=[1])).content.decode()
    assert "The authors&#x27; response" in page or "The authors' response" in page
    assert "<strong>Baselines:</strong>" in page

    save_review(
        reviewing.assignment, answers(score=3), by=reviewing.reviewer, submit=True
    )

    change = ReviewAfterResponse.objects.get()
    assert (change.score_before, change.score_after) == (2, 3)
    client.force_login(reviewing.chair)
    chair_page = client.get(
        reverse("reviews:chair-submission", args=[1])
    ).content.decode()
    assert "updated after response" in chair_page


def test_a_review_changed_before_the_response_is_not_marked(reviewing, window):
    save_review(reviewing.assignment, answers(), by=reviewing.reviewer, submit=True)
    save_review(
        reviewing.assignment, answers(score=1), by=reviewing.reviewer, submit=True
    )

    assert not ReviewAfterResponse.objects.exists()


def test_conflicted_chair_sees_no_response_mail(reviewing, window):
    submit_response(reviewing.submission, TEXT, by=reviewing.world.author)

    visible = OutboxMail.objects.visible_to(reviewing.world.conflicted_chair)

    assert not visible.filter(template="author_response").exists()
    assert (
        OutboxMail.objects.visible_to(reviewing.chair)
        .filter(template="author_response")
        .count()
        == 2
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_window_page_access(client, reviewing, persona):
    user = reviewing.world.user(persona)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("reviews:chair-response-window"))

    expected = {"anonymous": 302, "chair": 200, "conflicted_chair": 200}
    assert response.status_code == expected.get(persona, 404)


def test_chair_opens_the_window_in_the_conference_zone(client, reviewing):
    client.force_login(reviewing.chair)

    client.post(
        reverse("reviews:chair-response-window"),
        {
            "is_enabled": "on",
            "open_day": "2022-06-04",
            "open_clock": "00:00",
            "close_day": "2022-06-06",
            "close_clock": "23:59",
            "word_limit": "400",
        },
    )

    window = ResponseWindow.objects.get()
    conference = reviewing.world.conference
    assert window.is_enabled
    assert window.word_limit == 400
    assert window.last_minute == datetime(2022, 6, 6, 23, 59, tzinfo=conference.tzinfo)


def test_a_window_closing_before_it_opens_is_refused(client, reviewing):
    client.force_login(reviewing.chair)

    page = client.post(
        reverse("reviews:chair-response-window"),
        {
            "is_enabled": "on",
            "open_day": "2022-06-06",
            "close_day": "2022-06-04",
            "word_limit": "400",
        },
    )

    assert "must open before it closes" in page.content.decode()
    assert not ResponseWindow.objects.get().is_enabled


def test_service_refuses_an_open_window_without_dates(reviewing):
    with pytest.raises(ValidationError):
        update_response_window(
            reviewing.world.conference,
            is_enabled=True,
            opens_at=None,
            last_minute=None,
            word_limit=10,
            by=reviewing.chair,
        )


def test_author_submission_page_links_the_response(client, reviewing, window):
    client.force_login(reviewing.world.author)

    page = client.get(reverse("submissions:detail", args=[1])).content.decode()

    assert response_url() in page


def test_window_page_counts_leave_out_a_conflicted_chairs_submissions(
    client, reviewing, window
):
    submit_response(reviewing.submission, TEXT, by=reviewing.world.author)
    url = reverse("reviews:chair-response-window")

    client.force_login(reviewing.chair)
    assert "1 response submitted" in client.get(url).content.decode()
    client.force_login(reviewing.world.conflicted_chair)
    assert "0 responses submitted" in client.get(url).content.decode()
