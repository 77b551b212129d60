"""Delete my account: removed when nothing depends on it, anonymised otherwise;
the password asked again, the address typed out, the chairs told, the audit log
written."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from exchange.deletion import (
    ANONYMISED,
    ANONYMOUS_NAME,
    DELETED,
    anonymous_email,
    delete_account,
    plan_for,
)
from haet.audit.models import AuditEntry
from haet.models import User
from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from reviews.models import Review
from submissions.models import Author
from tests.conftest import PASSWORD
from tests.factories import ReviewerFactory, ReviewFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def sign_in(client, user) -> None:
    """Signed in, and the password just entered again (allauth's reauthentication,
    which deleting asks for)."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def confirm(client, typed: str):
    return client.post(reverse("exchange:delete-account"), {"confirm_email": typed})


def test_an_account_with_nothing_attached_is_deleted(client, conference, outsider):
    sign_in(client, outsider)
    page = client.get(reverse("exchange:my-account")).content.decode()
    assert "Delete my account" in page

    response = confirm(client, outsider.email.upper())

    assert response.status_code == 302
    assert not User.objects.filter(pk=outsider.pk).exists()
    entry = AuditEntry.objects.get(action="account.deletion_requested")
    assert (entry.object_id, entry.after["outcome"]) == (outsider.pk, DELETED)
    assert client.get(reverse("exchange:my-account")).status_code == 302  # signed out


def test_a_wrong_address_deletes_nothing_and_says_why(client, conference, outsider):
    sign_in(client, outsider)

    response = confirm(client, "someone@else.example")

    assert response.status_code == 400
    assert "This is not your address" in response.content.decode()
    assert 'value="someone@else.example"' in response.content.decode()
    assert User.objects.filter(pk=outsider.pk, is_active=True).exists()


def test_an_author_is_anonymised_and_the_chairs_are_told(
    client, conference, chair, author
):
    submission = SubmissionFactory(contact=author, title="Kept as entered")
    sign_in(client, author)
    page = client.get(reverse("exchange:my-account")).content.decode()
    assert "Anonymise my account" in page

    confirm(client, author.email)

    author.refresh_from_db()
    assert (author.name, author.email, author.is_active) == (
        ANONYMOUS_NAME,
        anonymous_email(author),
        False,
    )
    assert not author.has_usable_password()
    row = Author.objects.get(submission=submission)
    assert (row.name, row.email, row.user) == ("Ada Author", "author@example.org", None)
    mails = OutboxMail.objects.filter(template="account_anonymised")
    assert {m.to_email for m in mails} == {chair.email, "chair@haet.example"}
    mail = mails.get(to_email=chair.email)
    assert "Ada Author <author@example.org>" in mail.body_text
    assert "1 submission" in mail.body_text
    entry = AuditEntry.objects.get(action="account.deletion_requested")
    assert AuditEntry.objects.filter(action="account.anonymised").exists()
    assert entry.after == {
        "outcome": ANONYMISED,
        "submissions": 1,
        "assignments": 0,
        "roles": [],
    }
    # The old credentials no longer sign in.
    client.logout()
    again = client.post(
        reverse("account_login"), {"login": "author@example.org", "password": PASSWORD}
    )
    assert again.status_code == 200  # the form again, with its error


def test_a_reviewer_is_anonymised_and_their_review_stays_under_its_pseudonym(
    client, conference, chair
):
    reviewer = ReviewerFactory(name="Rosa Reviewer")
    assignment, _ = assign_reviewer(SubmissionFactory(), reviewer, by=chair)
    ReviewFactory(assignment=assignment, score=2, summary="Stays.")
    sign_in(client, reviewer)

    confirm(client, reviewer.email)

    review = Review.objects.get()
    assert review.answers["summary"] == "Stays."
    assert review.assignment.pseudonym == "Reviewer 1"
    reviewer.refresh_from_db()
    assert reviewer.name == ANONYMOUS_NAME
    assert not Group.objects.filter(user=reviewer).exists()
    assert plan_for(reviewer).assignment_count == 1


def test_the_password_is_asked_again_then_the_deletion_goes_on(
    client, conference, outsider
):
    client.force_login(outsider)  # no password entered in this session yet

    asked = confirm(client, outsider.email)

    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=outsider.pk).exists()
    wrong = client.post(asked["Location"], {"password": "not it"})
    assert wrong.status_code == 200
    assert User.objects.filter(pk=outsider.pk).exists()
    done = client.post(asked["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    assert not User.objects.filter(pk=outsider.pk).exists()


def test_nobody_deletes_someone_elses_account(conference, author, outsider):
    with pytest.raises(PermissionDenied):
        delete_account(author, by=outsider)


def test_the_pages_need_signing_in(client, conference):
    for name in ("exchange:my-account", "exchange:delete-account"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
