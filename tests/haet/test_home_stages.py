"""Issue 19, a site that follows the stage: the home page is the call for papers
until decisions are released; then the accepted papers come first, followed by the
programme once published; after the workshop it shows the proceedings, the award
winners with their leaderboards and the slides and posters, and the call for papers
moves to /call-for-papers/. Each stage under the frozen clock, as a visitor."""

from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.entering import save_entry
from awards.judging import change_shortlist
from awards.models import AwardResult
from awards.results import announce, publish_leaderboard, set_result
from proceedings.presentations import upload_presentation
from schedule.services import (
    assign_poster_boards,
    at_venue,
    publish_schedule,
    save_item,
    save_session,
    schedule_of,
)
from tests.awards.conftest import (
    FASTEST,
    AwardsWorld,
    accept,
    jury_scores,
)
from tests.factories import SubmissionFactory
from tests.haet.test_home import text_of

pytestmark = pytest.mark.django_db

BEFORE_DEADLINE = "2022-05-20T12:00:00Z"
AFTER_NOTIFICATION = "2022-06-20T12:00:00Z"
AFTER_WORKSHOP = "2022-07-25T12:00:00Z"  # the workshop day (23 July, UTC-11) is over
ACCEPTED_1 = "Sparse training of transformers on FPGAs"
ACCEPTED_2 = "Energy models of training on GPUs"
NOT_ACCEPTED = "A paper that was not accepted"


@pytest.fixture
def released(conference, author, chair):
    """#1 and #2 accepted (posters) and released; #3 not accepted."""
    return AwardsWorld(conference, author, chair)


def publish_programme(world) -> None:
    schedule = schedule_of(world.conference)
    session = save_session(
        schedule,
        title="Posters",
        starts_at=at_venue(schedule, time(14, 0)),
        ends_at=at_venue(schedule, time(15, 0)),
        room="Hall C",
        by=world.chair,
    )
    save_item(
        session,
        kind="poster_session",
        title="Poster session",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        by=world.chair,
    )
    assign_poster_boards(schedule, by=world.chair)
    publish_schedule(schedule, by=world.chair)


def announce_best_paper(world) -> None:
    chair = world.chair
    change_shortlist(world.best, world.submission, action="add", by=chair)
    set_result(world.best, world.submission, place=AwardResult.Place.WINNER, by=chair)
    jury_scores(world.best, world.submission, juror=world.juror)
    announce(world.best, by=chair)
    publish_leaderboard(world.fastest, is_published=True, by=chair)


def home(client) -> tuple[str, str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), text_of(response)


def test_before_the_deadline_the_home_page_is_the_call_for_papers(
    conference, client, frozen
):
    frozen(BEFORE_DEADLINE)

    html, text = home(client)

    assert 'id="next-deadline"' in html
    assert "Important Dates" in text
    assert "Author Instructions" in text
    assert 'id="accepted-papers"' not in html
    assert 'id="cfp-archived"' not in html


def test_decisions_not_yet_released_leave_the_call_for_papers_alone(
    conference, author, chair, client, frozen
):
    submission = SubmissionFactory(
        conference=conference, number=1, contact=author, title="Hidden"
    )
    accept(submission, chair, released=False)
    frozen(AFTER_NOTIFICATION)

    html, text = home(client)

    assert 'id="accepted-papers"' not in html
    assert "Hidden" not in text
    assert "Important Dates" in text


def test_after_notification_the_accepted_papers_come_first(released, client, frozen):
    frozen(AFTER_NOTIFICATION)

    html, text = home(client)

    assert 'id="accepted-papers"' in html
    assert ACCEPTED_1 in text
    assert ACCEPTED_2 in text
    assert NOT_ACCEPTED not in text
    assert text.index("Accepted papers") < text.index("Important Dates")
    assert 'id="programme"' not in html  # not published yet
    assert 'id="cfp-archived"' not in html


def test_the_programme_follows_the_accepted_papers_once_published(
    released, client, frozen
):
    frozen(AFTER_NOTIFICATION)
    publish_programme(released)

    html, text = home(client)

    assert 'id="programme"' in html
    assert f'href="{reverse("schedule:timetable")}"' in html
    assert text.index("Accepted papers") < text.index("Programme")
    assert text.index("Programme") < text.index("Important Dates")
    assert client.get(reverse("schedule:timetable")).status_code == 200


def test_after_the_workshop_it_shows_what_the_workshop_produced(
    released, client, frozen
):
    frozen(AFTER_NOTIFICATION)
    upload_presentation(
        released.submission,
        "slides",
        SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides", "application/pdf"),
        by=released.chair,
    )
    save_entry(released.fastest, released.submission, data=FASTEST, by=released.author)
    publish_programme(released)
    frozen(AFTER_WORKSHOP)
    announce_best_paper(released)

    html, text = home(client)

    assert 'id="proceedings"' in html
    assert ACCEPTED_1 in text
    assert NOT_ACCEPTED not in text
    assert 'id="award-winners"' in html
    winners = html.split('id="award-winners"')[1].split("</section>")[0]
    assert "Best paper awards" in winners
    assert ACCEPTED_1 in winners
    assert "Most energy-efficient" not in winners  # nothing announced or published
    fastest = released.settings["fastest_training"].slug
    assert reverse("awards:leaderboard", args=[fastest]) in winners
    board = winners.split('id="winners-fastest-training"')[1].split("</table>")[0]
    assert ACCEPTED_1 in board  # the top of the published leaderboard
    assert 'id="slides-and-posters"' in html
    slides = reverse("schedule:slides", args=[1])
    assert f'href="{slides}"' in html
    assert client.get(slides)["Content-Type"] == "application/pdf"
    order = [text.index(t) for t in ("Proceedings", "Award winners", "Slides and")]
    assert order == sorted(order)


def test_after_the_workshop_the_call_for_papers_is_archived(released, client, frozen):
    frozen(AFTER_WORKSHOP)

    html, text = home(client)
    archived = client.get(reverse("call-for-papers"))

    assert "Important Dates" not in text
    assert 'id="cfp-archived"' in html
    assert f'href="{reverse("call-for-papers")}"' in html
    assert archived.status_code == 200
    archived_text = text_of(archived)
    assert "This call for papers is archived" in archived_text
    assert "Important Dates" in archived_text
    assert "Paper submission deadline" in archived_text


def test_the_call_for_papers_page_is_not_archived_before_the_workshop(
    conference, client, frozen
):
    frozen(BEFORE_DEADLINE)

    text = text_of(client.get(reverse("call-for-papers")))

    assert "Important Dates" in text
    assert "archived" not in text


def test_a_past_workshop_that_released_nothing_keeps_the_call_for_papers(
    conference, client, frozen
):
    frozen(AFTER_WORKSHOP)

    html, text = home(client)

    assert "Important Dates" in text
    assert 'id="cfp-archived"' not in html
