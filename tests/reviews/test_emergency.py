"""Emergency reviewers (issue 16): submissions short of reviews, flagged near the
deadline; unconflicted candidates ranked by affinity and load; the one-step
invitation; acceptance assigns and opens the submission."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from reviews.emergency import (
    accept_emergency,
    candidates,
    decline_emergency,
    invite_emergency_reviewer,
    short_submissions,
)
from reviews.models import Assignment, Bid, EmergencyInvitation
from tests.factories import SubmissionFactory
from tests.reviews.conftest import LEAK_EMAIL, LEAK_NAME

pytestmark = pytest.mark.django_db

DUE = datetime(2022, 6, 15, 23, 59, tzinfo=UTC)
FAR_FROM_DEADLINE = "2022-05-30T12:00:00Z"


@pytest.fixture
def emergency(world, during_review):
    return world


def test_short_submissions_are_flagged_near_the_deadline(emergency, frozen):
    short = short_submissions(emergency.conference, by=emergency.chair)
    assert [(s.number, s.review_count, s.is_flagged) for s in short] == [
        (1, 0, True),
        (2, 0, True),
    ]
    frozen(FAR_FROM_DEADLINE)
    short = short_submissions(emergency.conference, by=emergency.chair)
    assert [s.is_flagged for s in short] == [False, False]


def test_a_conflicted_chair_never_sees_the_submission_short(emergency):
    short = short_submissions(emergency.conference, by=emergency.conflicted_chair)
    assert [s.number for s in short] == [2]


def test_candidates_are_unconflicted_unassigned_and_ranked(emergency, make_reviewer):
    make_reviewer(name="Lena Light")
    busy = make_reviewer(name="Bert Busy")
    keen = make_reviewer(name="Kim Keen")
    for n in range(3, 5):
        other = SubmissionFactory(conference=emergency.conference, number=n)
        assign_reviewer(other, busy, by=emergency.chair, notify=False)
    Bid.objects.create(
        submission=emergency.submission,
        reviewer=keen,
        value=Bid.Value.EAGER,
        updated_at=DUE,
    )

    found = candidates(emergency.submission, by=emergency.chair)

    names = [c.name for c in found]
    assert emergency.reviewer.name not in names  # assigned already
    assert emergency.conflicted_reviewer.name not in names  # same domain
    assert names[0] == "Kim Keen"  # an eager bid: the best affinity
    assert names.index("Lena Light") < names.index("Bert Busy")  # same affinity
    assert {c.name: c.load for c in found}["Bert Busy"] == 2


def test_the_invitation_mails_and_acceptance_assigns_with_the_due_date(emergency):
    invitee = emergency.unassigned_reviewer
    invitation = invite_emergency_reviewer(
        emergency.submission, invitee, due_at=DUE, by=emergency.chair
    )

    mail = OutboxMail.objects.get(template="emergency_invitation")
    assert mail.to_email == invitee.email
    assert reverse("reviews:emergency-answer", args=[invitation.token]) in (
        mail.body_text
    )
    assert mail.is_sensitive  # the link assigns: chairs never read it
    text = f"{mail.subject}{mail.body_text}{mail.body_html}"
    assert LEAK_NAME not in text
    assert LEAK_EMAIL not in text

    assignment = accept_emergency(invitation, user=invitee)

    assert assignment.due_at == DUE
    assert assignment.pseudonym == "Reviewer 2"
    invitation.refresh_from_db()
    assert invitation.status == EmergencyInvitation.Status.ACCEPTED
    assert accept_emergency(invitation, user=invitee).pk == assignment.pk  # once


def test_conflicts_and_repeats_are_refused_with_the_reason(emergency):
    with pytest.raises(ValidationError, match="Same institution domain"):
        invite_emergency_reviewer(
            emergency.submission,
            emergency.conflicted_reviewer,
            due_at=DUE,
            by=emergency.chair,
        )
    with pytest.raises(ValidationError, match="already reviews"):
        invite_emergency_reviewer(
            emergency.submission, emergency.reviewer, due_at=DUE, by=emergency.chair
        )
    with pytest.raises(PermissionDenied):
        invite_emergency_reviewer(
            emergency.submission,
            emergency.unassigned_reviewer,
            due_at=DUE,
            by=emergency.conflicted_chair,
        )
    with pytest.raises(ValidationError, match="future"):
        invite_emergency_reviewer(
            emergency.submission,
            emergency.unassigned_reviewer,
            due_at=datetime(2022, 1, 1, tzinfo=UTC),
            by=emergency.chair,
        )
    assert not OutboxMail.objects.filter(template="emergency_invitation").exists()


def test_only_the_invited_account_answers(emergency):
    invitation = invite_emergency_reviewer(
        emergency.submission,
        emergency.unassigned_reviewer,
        due_at=DUE,
        by=emergency.chair,
    )
    with pytest.raises(ValidationError):
        accept_emergency(invitation, user=emergency.reviewer)
    decline_emergency(invitation, user=emergency.unassigned_reviewer)
    with pytest.raises(ValidationError):
        accept_emergency(invitation, user=emergency.unassigned_reviewer)
    assert not Assignment.objects.filter(reviewer=emergency.unassigned_reviewer)


# --- pages ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("author", 404),
        ("reviewer", 404),
        ("conflicted_reviewer", 404),
        ("chair", 200),
    ],
)
@pytest.mark.parametrize(
    "name", ["reviews:chair-emergency", "reviews:chair-emergency-submission"]
)
def test_emergency_pages_per_role(emergency, login, persona, expected, name):
    args = [1] if name.endswith("submission") else []
    response = login(emergency.user(persona)).get(reverse(name, args=args))
    assert response.status_code == expected


def test_a_conflicted_chair_gets_404_on_the_hidden_submission(emergency, login):
    client = login(emergency.conflicted_chair)
    url = reverse("reviews:chair-emergency-submission", args=[1])
    assert client.get(url).status_code == 404
    assert client.get(reverse("reviews:chair-emergency")).status_code == 200


def test_the_chair_invites_in_one_step_and_bad_input_is_explained(emergency, login):
    client = login(emergency.chair)
    url = reverse("reviews:chair-emergency-submission", args=[1])
    invitee = emergency.unassigned_reviewer
    page = client.get(url)
    assert invitee.name in page.text
    assert emergency.conflicted_reviewer.name not in page.text

    bad = client.post(url, {"reviewer": invitee.pk, "due_at": "not a date"})
    assert bad.status_code == 200
    assert "Enter a valid date/time" in bad.text
    past = client.post(url, {"reviewer": invitee.pk, "due_at": "2022-01-01T10:00"})
    assert "The due date must be in the future" in past.text

    ok = client.post(url, {"reviewer": invitee.pk, "due_at": "2022-06-15T23:59"})

    assert ok.status_code == 302
    assert EmergencyInvitation.objects.get().reviewer == invitee


def test_the_overview_flags_short_submissions(emergency, login):
    page = login(emergency.chair).get(reverse("reviews:chair"))
    assert "2 submissions short of reviews" in page.text
    assert "2 short near the deadline" in page.text


def test_the_short_list_query_count_is_constant(emergency, login):
    client = login(emergency.chair)
    counts = []
    for n in range(3, 6):
        SubmissionFactory(conference=emergency.conference, number=n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reviews:chair-emergency"))
        assert len(response.context["submissions"]) == n
        counts.append(len(queries))
    assert counts[0] == counts[-1]


def test_the_link_takes_the_invitee_from_acceptance_to_the_submission(
    emergency, client
):
    invitee = emergency.unassigned_reviewer
    invitation = invite_emergency_reviewer(
        emergency.submission, invitee, due_at=DUE, by=emergency.chair
    )
    url = reverse("reviews:emergency-answer", args=[invitation.token])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(emergency.reviewer)
    assert client.get(url).status_code == 404  # someone else's invitation
    client.force_login(invitee)

    response = client.post(url, {"action": "accept"})

    assert response["Location"] == reverse("reviews:submission", args=[1])
    assert client.get(response["Location"]).status_code == 200
    assert client.get(url)["Location"] == reverse("reviews:submission", args=[1])
