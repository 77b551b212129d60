"""The public call for papers is rendered from the data chairs edit."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from haet.models import AwardCategory, ImportantDate, Topic
from haet.services import change_date

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_shows_important_dates_with_struck_old_deadline(client, conference):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    deadline = re.search(r'<li id="date-submission">(.*?)</li>', html, re.S).group(1)
    assert "<s>20 May 2022</s>" in deadline
    assert '<span class="when">27 May 2022</span>' in deadline
    assert "(11:59 pm UTC-11)" in deadline
    assert '= <span class="utc">28 May 2022 10:59 UTC</span>' in deadline
    text = text_of(response)
    assert "Acceptance notification: 13 June 2022" in text
    assert "Camera-ready deadline: 30 June 2022 (11:59 pm UTC-11)" in text
    assert "Workshop: 23 July 2022" in text


def test_home_hides_internal_dates(client, conference):
    text = text_of(client.get(reverse("home")))

    assert "Review deadline" not in text
    assert "Bidding deadline" not in text


def test_home_follows_a_date_changed_in_the_database(client, conference, chair):
    deadline = conference.dates.get(kind=ImportantDate.Kind.SUBMISSION_DEADLINE)

    change_date(deadline, at=deadline.at + timedelta(days=3), by=chair)

    html = client.get(reverse("home")).content.decode()
    deadline_html = re.search(r'<li id="date-submission">(.*?)</li>', html, re.S).group(
        1
    )
    assert "<s>20 May 2022</s> <s>27 May 2022</s>" in deadline_html
    assert '<span class="when">30 May 2022</span>' in deadline_html


def test_home_shows_instructions_topics_and_awards_from_data(client, conference):
    topic = Topic.objects.filter(conference=conference).first()
    topic.name = "Renamed topic"
    topic.save()
    AwardCategory.objects.filter(name__startswith="Fastest").update(
        sponsor="Acme Compute", details="USD 1,000 for the fastest run to 75% top-1."
    )

    text = text_of(client.get(reverse("home")))

    assert "should not be longer than 4 pages, including figures and tables" in text
    assert "Use the ICML LaTeX template to prepare the manuscript." in text
    assert "cannot be submitted to the workshop" in text
    assert "also submit their work to arXiv" in text
    assert "copyright attributed to the authors" in text
    assert "high-level complexity metrics" in text
    assert "Renamed topic" in text
    assert "equilibrium-propagation-based techniques" in text
    assert text.count("<li>") == 0  # (tags stripped)
    assert "Sponsor: Acme Compute" in text
    assert "USD 1,000 for the fastest run" in text
    # The two awards still without details say so.
    assert text.count("Details coming soon.") == 2


def test_home_counts_down_to_the_next_deadline(client, conference, frozen):
    frozen(datetime(2022, 5, 20, 23, 0, tzinfo=UTC))

    html = client.get(reverse("home")).content.decode()

    assert 'data-countdown="2022-05-28T11:00:00+00:00"' in html
    assert "Paper submission deadline</strong> closes in" in html
    assert "Submit a paper</a>" in html


def test_countdown_moves_to_camera_ready_after_submission_closes(
    client, conference, frozen
):
    frozen(datetime(2022, 6, 1, tzinfo=UTC))

    html = client.get(reverse("home")).content.decode()

    assert 'data-countdown="2022-07-01T11:00:00+00:00"' in html
    # Submissions are closed: the button leads to the camera-ready instead.
    assert "Submit a paper</a>" not in html
    assert "Upload the camera-ready</a>" in html


def test_home_renders_for_each_role(client, conference, author, reviewer, chair):
    for user in (None, author, reviewer, chair):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(reverse("home")).status_code == 200


def test_home_query_count_is_constant(
    client, conference, django_assert_max_num_queries
):
    for n in range(10):
        Topic.objects.create(conference=conference, name=f"Extra topic {n}")
        ImportantDate.objects.create(
            conference=conference,
            label=f"Extra {n}",
            at=datetime(2022, 7, n + 1, tzinfo=UTC),
        )
    # 6 for the call for papers, and one per stage section asking whether it has
    # anything public yet (accepted papers, award winners, the programme).
    with django_assert_max_num_queries(9):
        client.get(reverse("home"))


def test_a_name_holding_its_acronym_is_not_repeated(client, conference):
    assert conference.full_name == f"{conference.name} ({conference.acronym})"
    conference.name, conference.acronym = "Atelier ÉCO 2027", "ÉCO 2027"
    conference.save()

    html = client.get(reverse("home")).content.decode()

    assert conference.full_name == "Atelier ÉCO 2027"
    assert "<h1>Atelier ÉCO 2027</h1>" in html
    assert "(ÉCO 2027)" not in html
