"""Issue 12, finding 8: no prize page names a paper before its decision is released.

The stage: the review period of HAET 2022. #7, under review, has entered the
fastest-training prize, which (as a chair set it) is open to every submitted paper;
its code link carries the first author's account name. A reviewer of #7 and the
public must learn nothing of it from the leaderboard (HTML, CSV, JSON, SVG) or the
awards page, whatever a chair clicks, until the decisions are released; then
accepted papers appear, and only they.
"""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.entering import save_entry
from awards.judging import change_shortlist
from awards.models import AwardResult, AwardSettings, Kind
from awards.publication import NOT_RELEASED, RESULTS_NOT_RELEASED
from awards.results import publish_leaderboard, set_result
from decisions.models import Decision, Outcome
from reviews.assigning import assign_reviewer
from tests.awards.conftest import (
    BEFORE_DEADLINE,
    DECIDED_AT,
    ENTRY_DEADLINE,
    FASTEST,
    LEAK_EMAIL,
    LEAK_NAME,
    accept,
    jury_scores,
)
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "Canary-titled pipeline training under review"
ACCOUNT = "zebulon-qf"
CODE_URL = f"https://github.com/{ACCOUNT}/canary-fast-train"
REJECTED_TITLE = "Rejected but entered anyway"
LEAKS = (TITLE, ACCOUNT, LEAK_NAME, LEAK_EMAIL)


class Stage:
    def __init__(self, conference, author, chair, reviewer):
        self.conference = conference
        self.author = author
        self.chair = chair
        self.reviewer = reviewer
        self.other_author = UserFactory(
            email="other@elsewhere.example", name="Olga Other"
        )
        self.settings = {
            s.kind: s for s in AwardSettings.objects.for_conference(conference)
        }
        for kind in (Kind.FASTEST_TRAINING, Kind.BEST_SUBMISSION):
            found = self.settings[kind]
            found.eligibility = AwardSettings.Eligibility.SUBMITTED
            if found.accepts_entries:
                found.entry_deadline = ENTRY_DEADLINE
            found.save()
        self.fastest = self.settings[Kind.FASTEST_TRAINING].award
        self.best = self.settings[Kind.BEST_SUBMISSION].award
        self.submission = SubmissionFactory(
            conference=conference,
            number=7,
            contact=author,
            authors=[(LEAK_NAME, LEAK_EMAIL, "Quixotic Institute")],
            title=TITLE,
        )
        assign_reviewer(self.submission, reviewer, by=chair, notify=False)
        save_entry(
            self.fastest,
            self.submission,
            data={**FASTEST, "code_url": CODE_URL},
            by=author,
        )
        change_shortlist(self.best, self.submission, action="add", by=chair)
        set_result(self.best, self.submission, place=AwardResult.Place.WINNER, by=chair)
        jury_scores(self.best, self.submission, juror=reviewer)

    def slug(self, award) -> str:
        return award.award_settings.slug


@pytest.fixture
def stage(conference, author, chair, reviewer, frozen):
    frozen(BEFORE_DEADLINE)
    return Stage(conference, author, chair, reviewer)


def public_urls(stage) -> list[str]:
    slug = stage.slug(stage.fastest)
    return [
        reverse("awards:index"),
        reverse("awards:leaderboard", args=[slug]),
        reverse("awards:leaderboard-csv", args=[slug]),
        reverse("awards:leaderboard-json", args=[slug]),
        reverse("awards:leaderboard-svg", args=[slug]),
    ]


def as_persona(client, stage, persona):
    user = {
        "anonymous": None,
        "reviewer": stage.reviewer,
        "author": stage.other_author,
    }[persona]
    if user is not None:
        client.force_login(user)
    return client


def release(submission, chair, outcome=Outcome.ACCEPT_POSTER):
    return Decision.objects.create(
        submission=submission,
        outcome=outcome,
        set_by=chair,
        set_at=DECIDED_AT,
        released_at=DECIDED_AT,
        released_by=chair,
    )


# --- publishing is refused before the release ---------------------------------------
def test_publishing_a_leaderboard_before_release_is_refused_with_the_reason(
    client, stage
):
    client.force_login(stage.chair)
    slug = stage.slug(stage.fastest)

    response = client.post(
        reverse("awards:chair-publish", args=[slug]),
        {"is_published": "1"},
        follow=True,
    )

    assert NOT_RELEASED in response.content.decode()
    found = AwardSettings.objects.get(award=stage.fastest)
    assert found.leaderboard_published is False
    with pytest.raises(ValidationError, match="Decisions are not released yet"):
        publish_leaderboard(stage.fastest, is_published=True, by=stage.chair)


def test_judging_page_says_why_the_leaderboard_cannot_be_published_yet(client, stage):
    client.force_login(stage.chair)

    page = client.get(
        reverse("awards:chair-judging", args=[stage.slug(stage.fastest)])
    ).content.decode()

    assert "Publish the leaderboard</button>" in page
    assert 'class="secondary" disabled>Publish the leaderboard' in page
    assert NOT_RELEASED in page


def test_announcing_a_paper_under_review_is_refused_with_the_reason(client, stage):
    client.force_login(stage.chair)

    response = client.post(
        reverse("awards:chair-announce", args=[stage.slug(stage.best)]), follow=True
    )
    client.logout()
    awards_page = client.get(reverse("awards:index")).content.decode()

    assert RESULTS_NOT_RELEASED in response.content.decode()
    assert AwardSettings.objects.get(award=stage.best).announced_at is None
    assert TITLE not in awards_page
    assert LEAK_NAME not in awards_page


# --- nothing shows even if a leaderboard was published earlier ----------------------
@pytest.mark.parametrize("persona", ["anonymous", "reviewer", "author"])
def test_pages_published_before_the_fix_show_nothing_of_a_paper_under_review(
    client, stage, persona
):
    # What the old code let a chair do: publish the leaderboard and announce the
    # results in the middle of the review.
    AwardSettings.objects.filter(award=stage.fastest).update(leaderboard_published=True)
    AwardSettings.objects.filter(award=stage.best).update(announced_at=DECIDED_AT)
    client = as_persona(client, stage, persona)

    responses = {url: client.get(url) for url in public_urls(stage)}

    for url, response in responses.items():
        assert response.status_code == 200, url
        body = response.content.decode()
        assert [leak for leak in LEAKS if leak in body] == [], url
    slug = stage.slug(stage.fastest)
    data = json.loads(
        responses[reverse("awards:leaderboard-json", args=[slug])].content
    )
    assert data["entries"] == []
    rows = csv.DictReader(
        io.StringIO(
            responses[reverse("awards:leaderboard-csv", args=[slug])].content.decode()
        )
    )
    assert list(rows) == []


def test_an_unreleased_acceptance_does_not_put_a_paper_on_the_leaderboard(
    client, stage
):
    accept(stage.submission, stage.chair, released=False)
    AwardSettings.objects.filter(award=stage.fastest).update(leaderboard_published=True)

    page = client.get(
        reverse("awards:leaderboard", args=[stage.slug(stage.fastest)])
    ).content.decode()

    assert [leak for leak in LEAKS if leak in page] == []


# --- after the release: accepted papers, and only they ------------------------------
def test_after_release_accepted_papers_appear_and_rejected_ones_do_not(client, stage):
    rejected = SubmissionFactory(
        conference=stage.conference,
        number=8,
        contact=stage.other_author,
        title=REJECTED_TITLE,
    )
    save_entry(stage.fastest, rejected, data=FASTEST, by=stage.other_author)
    release(stage.submission, stage.chair)
    release(rejected, stage.chair, outcome=Outcome.REJECT)
    client.force_login(stage.chair)
    slug = stage.slug(stage.fastest)

    published = client.post(
        reverse("awards:chair-publish", args=[slug]), {"is_published": "1"}, follow=True
    )
    client.logout()
    page = client.get(reverse("awards:leaderboard", args=[slug])).content.decode()
    data = json.loads(
        client.get(reverse("awards:leaderboard-json", args=[slug])).content
    )

    assert "The leaderboard is now public." in published.content.decode()
    assert TITLE in page
    assert f'href="{CODE_URL}"' in page
    assert REJECTED_TITLE not in page
    assert [(e["paper"], e["code_url"]) for e in data["entries"]] == [(7, CODE_URL)]


def test_after_release_the_results_are_announced_on_the_awards_page(client, stage):
    release(stage.submission, stage.chair)
    client.force_login(stage.chair)

    client.post(reverse("awards:chair-announce", args=[stage.slug(stage.best)]))
    client.logout()
    page = client.get(reverse("awards:index")).content.decode()

    assert AwardSettings.objects.get(award=stage.best).announced_at is not None
    assert TITLE in page
    assert LEAK_NAME in page
