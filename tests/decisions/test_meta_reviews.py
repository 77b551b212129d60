"""Meta-reviews: a chair or (when enabled) the submission's area chair writes one;
authors read it with the reviews once released, and in the decision and
correction mails ({{ meta_review }}); the note to chairs never reaches them; a
conflicted chair sees none and cannot write one; the dashboard flags decided
submissions without one when the chairs require it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.deciding import decide
from decisions.mail_templates import PLACEHOLDERS
from decisions.meta_reviews import save_meta_review, set_meta_review_required
from decisions.models import MetaReview, Outcome
from decisions.queries.dashboard import dashboard_rows
from decisions.release import preview_release, release_decisions
from haet.outbox.models import OutboxMail
from reviews.area_chairs import assign_area_chair
from reviews.models import AreaChairSettings
from tests.decisions.conftest import LEAK_EMAIL, LEAK_NAME
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

TO_AUTHORS = "The reviewers liked the FPGA results; please add the ablation."
NOTE = "Borderline: Reviewer 2 was unconvinced, I side with the majority."


@pytest.fixture
def area_chair(world):
    user = UserFactory(email="ac@ac.example.net", name="Ari Area", role="area_chair")
    assign_area_chair(world.submission, user, by=world.chair)
    return user


@pytest.fixture
def enabled(world):
    AreaChairSettings.objects.update_or_create(
        conference=world.conference, defaults={"is_enabled": True}
    )


def release(world, committed):
    _, tokens, _ = preview_release(world.conference, by=world.chair)
    return committed(release_decisions, world.conference, tokens=tokens, by=world.chair)


def page(client, user, number=1):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("decisions:meta-review", args=[number]))
    if response.status_code == 302:
        return "login"
    return response.status_code


# --- who writes ----------------------------------------------------------------------
def test_a_chair_writes_and_rewrites_the_meta_review(world, client):
    client.force_login(world.chair)
    url = reverse("decisions:meta-review", args=[1])

    client.post(url, {"to_authors": "First.", "note_to_chairs": ""})
    client.post(url, {"to_authors": f"  {TO_AUTHORS}\r\n", "note_to_chairs": NOTE})

    found = MetaReview.objects.get()
    assert (found.to_authors, found.note_to_chairs) == (TO_AUTHORS, NOTE)
    assert found.written_by == world.chair


def test_an_empty_meta_review_is_refused_and_keeps_what_was_typed(world, client):
    client.force_login(world.chair)

    response = client.post(
        reverse("decisions:meta-review", args=[1]),
        {"to_authors": "   ", "note_to_chairs": NOTE},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Write the meta-review to the authors." in text
    assert NOTE in text
    assert not MetaReview.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "login"),
        ("author", 404),
        ("coauthor", 404),
        ("reviewer", 404),
        ("conflicted_reviewer", 404),
        ("conflicted_chair", 404),
        ("chair", 200),
    ],
)
def test_the_meta_review_page_by_persona(world, client, persona, expected):
    assert page(client, world.user(persona)) == expected
    assert page(client, world.user(persona), number=9999) == (
        "login" if expected == "login" else 404
    )


def test_a_conflicted_chair_can_neither_read_nor_write_one(world, client):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    client.force_login(world.conflicted_chair)

    posted = client.post(
        reverse("decisions:meta-review", args=[1]), {"to_authors": "Mine."}
    )
    listed = client.get(reverse("decisions:meta-reviews"))

    assert posted.status_code == 404
    assert [r.number for r in listed.context["rows"]] == [2]
    assert TO_AUTHORS not in listed.content.decode()
    with pytest.raises(PermissionDenied):
        save_meta_review(world.submission, to_authors="x", by=world.conflicted_chair)
    assert MetaReview.objects.get().to_authors == TO_AUTHORS


def test_an_area_chair_writes_only_when_the_chairs_enable_it(world, client, area_chair):
    assert page(client, area_chair) == 404
    AreaChairSettings.objects.filter(conference=world.conference).update(
        is_enabled=True
    )

    assert page(client, area_chair) == 200
    assert page(client, area_chair, number=2) == 404  # not theirs
    response = client.post(
        reverse("decisions:meta-review", args=[1]),
        {"to_authors": TO_AUTHORS, "note_to_chairs": NOTE},
    )
    assert response.status_code == 302
    assert MetaReview.objects.get().written_by == area_chair
    text = client.get(reverse("decisions:meta-review", args=[1])).content.decode()
    for leak in (LEAK_NAME, LEAK_EMAIL, "Cora Coauthor"):
        assert leak not in text


def test_meta_review_rules(world, area_chair, enabled):
    other_ac = UserFactory(email="ac2@ac2.example.net", role="area_chair")
    submission = world.submission

    assert world.chair.has_perm("decisions.write_meta_review", submission)
    assert area_chair.has_perm("decisions.write_meta_review", submission)
    assert not other_ac.has_perm("decisions.write_meta_review", submission)
    assert not world.conflicted_chair.has_perm(
        "decisions.write_meta_review", submission
    )
    assert not world.reviewer.has_perm("decisions.write_meta_review", submission)
    assert not world.author.has_perm("decisions.write_meta_review", submission)
    with pytest.raises(ValidationError):
        save_meta_review(submission, to_authors="x" * 5001, by=world.chair)


# --- what authors read ----------------------------------------------------------------
def test_authors_read_it_after_release_in_the_page_and_the_mail(
    world, client, committed
):
    save_meta_review(
        world.submission, to_authors=TO_AUTHORS, note_to_chairs=NOTE, by=world.chair
    )
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    client.force_login(world.author)
    detail = reverse("submissions:detail", args=[1])
    outcome = reverse("decisions:author-view", args=[1])

    before = client.get(detail).content.decode() + client.get(outcome).content.decode()
    release(world, committed)
    page_text = client.get(detail).content.decode()
    outcome_text = client.get(outcome).content.decode()

    assert TO_AUTHORS not in before
    assert TO_AUTHORS in page_text
    assert TO_AUTHORS in outcome_text
    assert NOTE not in page_text + outcome_text
    mails = OutboxMail.objects.filter(template="decision_notification")
    assert mails.count() == 3
    for mail in mails:
        assert f"--- Meta-review ---\n{TO_AUTHORS}" in mail.body_text
        assert NOTE not in mail.body_text


def test_a_correction_mail_carries_the_meta_review(world, committed):
    save_meta_review(world.submission, to_authors=TO_AUTHORS, by=world.chair)
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    release(world, committed)

    committed(
        decide,
        world.submission,
        Outcome.ACCEPT_ORAL,
        by=world.chair,
        confirm_correction=True,
    )

    corrections = OutboxMail.objects.filter(template="decision_correction")
    assert corrections.count() == 3
    assert all(TO_AUTHORS in mail.body_text for mail in corrections)


def test_without_a_meta_review_the_mail_has_no_gap(world, committed):
    decide(world.submission, Outcome.REJECT, by=world.chair)

    release(world, committed)

    body = OutboxMail.objects.filter(template="decision_notification").first().body_text
    assert "meta_review" not in body
    assert "Meta-review" not in body
    assert "\n\n\n" not in body
    assert "meta_review" in PLACEHOLDERS


# --- the chairs' side ----------------------------------------------------------------
def test_the_dashboard_flags_decided_submissions_without_one_when_required(
    world, client
):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=world.chair)
    decide(world.other_submission, Outcome.REJECT, by=world.chair)
    save_meta_review(world.other_submission, to_authors="Fine.", by=world.chair)

    def flagged():
        rows = dashboard_rows(world.conference, user=world.chair)
        return [r.number for r in rows if "no_meta_review" in r.flags]

    assert flagged() == []
    set_meta_review_required(world.conference, is_required=True, by=world.chair)
    assert flagged() == [1]
    client.force_login(world.chair)
    response = client.get(reverse("decisions:dashboard"), {"flag": "no_meta_review"})
    assert "no meta-review" in response.content.decode()
    assert [r.number for r in response.context["rows"]] == [1]
    # A conflicted chair is not told about #1.
    rows = dashboard_rows(world.conference, user=world.conflicted_chair)
    assert [r.number for r in rows if "no_meta_review" in r.flags] == []


def test_the_list_sets_the_requirement_and_costs_constant_queries(
    world, client, area_chair
):
    client.force_login(world.chair)
    url = reverse("decisions:meta-reviews")
    client.post(url, {"is_required": "on"})

    def measure() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    small = measure()
    for number in range(3, 8):
        submission = SubmissionFactory(
            conference=world.conference, number=number, contact=world.author
        )
        assign_area_chair(submission, area_chair, by=world.chair)
        decide(submission, Outcome.REJECT, by=world.chair)
        save_meta_review(submission, to_authors="Thanks.", by=world.chair)

    assert measure() == small
    rows = client.get(url).context["rows"]
    assert [(r.number, r.area_chair, r.has_meta_review) for r in rows][:3] == [
        (1, "Ari Area", False),
        (2, "", False),
        (3, "Ari Area", True),
    ]
    assert client.get(url).context["is_required"] is True


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "login"),
        ("author", 404),
        ("reviewer", 404),
        ("chair", 200),
        ("conflicted_chair", 200),
    ],
)
def test_the_list_by_persona(world, client, persona, expected):
    client.logout()
    if world.user(persona):
        client.force_login(world.user(persona))
    response = client.get(reverse("decisions:meta-reviews"))
    got = "login" if response.status_code == 302 else response.status_code
    assert got == expected
