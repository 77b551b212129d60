"""The chairs' export page and download, and "download my data", per role."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange.exporting import export_conference
from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

OWN_TITLE = "Frugal training of owls"
HIDDEN_TITLE = "Canary submission the chair co-authors"
REVIEW_TEXT = "canary-review: the owls are convincing"
HIDDEN_REVIEW = "canary-hidden-review: never in the chair's export"
BLIND_AUTHOR = ("Blinda Coauthor", "blinda@secret-lab.example", "Secret Lab")


@pytest.fixture
def world(conference, chair, reviewer, author):
    co_chair = UserFactory(email="co@chairs.example", role="chair")
    own = SubmissionFactory(
        number=1, title=OWN_TITLE, contact=author, authors=[BLIND_AUTHOR]
    )
    hidden = SubmissionFactory(number=2, title=HIDDEN_TITLE, authors=[chair])
    for submission, text in ((own, REVIEW_TEXT), (hidden, HIDDEN_REVIEW)):
        assignment, _ = assign_reviewer(submission, reviewer, by=co_chair)
        ReviewFactory(assignment=assignment, score=2, summary=text)
    return {"own": own, "hidden": hidden}


def download(client, user, name):
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    return response.content.decode(), json.loads(response.content)


def test_the_chair_export_leaves_out_what_the_chair_is_conflicted_with(
    client, world, chair
):
    text, document = download(client, chair, "exchange:chair-download")

    assert [s["number"] for s in document["submissions"]] == [1]
    assert [r["assignment"][0] for r in document["reviews"]] == [1]
    assert HIDDEN_TITLE not in text
    assert HIDDEN_REVIEW not in text
    assert "mail_preferences" not in document  # the operator's export only


def test_delegations_of_a_hidden_submission_stay_out_of_the_chair_export(
    client, world, chair, reviewer
):
    from reviews.models import Delegation, DelegationComment, EmergencyInvitation

    for submission in world.values():
        delegation = Delegation.objects.create(
            assignment=submission.assignments.get(),
            name=f"Delegate of #{submission.number}",
            email=f"delegate{submission.number}@lab.example",
            status="accepted",
        )
        DelegationComment.objects.create(
            delegation=delegation, author=reviewer, body=f"Note on #{submission.number}"
        )
        EmergencyInvitation.objects.create(
            submission=submission, reviewer=reviewer, due_at=submission.created_at
        )

    text, document = download(client, chair, "exchange:chair-download")

    assert [d["assignment"][0] for d in document["delegations"]] == [1]
    assert [d["name"] for d in document["delegations"]] == ["Delegate of #1"]
    assert "token" not in document["delegations"][0]
    assert [c["body"] for c in document["delegation_comments"]] == ["Note on #1"]
    assert [e["submission"] for e in document["emergency_invitations"]] == [1]
    assert "token" not in document["emergency_invitations"][0]
    assert "Delegate of #2" not in text
    assert "Note on #2" not in text
    assert len(export_conference()["delegations"]) == 2  # the operator's: all


def test_the_operator_export_has_every_submission(world):
    document = export_conference()

    assert [s["number"] for s in document["submissions"]] == [1, 2]
    assert "password" not in json.dumps(document["users"])


@pytest.mark.parametrize("name", ["exchange:chair", "exchange:chair-download"])
def test_only_chairs_open_the_export(client, world, author, reviewer, outsider, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for person in (author, reviewer, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_the_chair_page_links_the_download(client, world, chair):
    client.force_login(chair)
    html = client.get(reverse("exchange:chair")).content.decode()
    assert reverse("exchange:chair-download") in html
    home = client.get(reverse("chair-home")).content.decode()
    assert reverse("exchange:chair") in home


def test_my_data_of_an_author_has_their_submission_and_no_reviewer(
    client, world, author, reviewer
):
    OutboxMail.objects.create(
        recipient=author,
        to_email=author.email,
        template="password_reset_key",
        subject="Reset",
        body_text="https://haet.example/reset/secret-key",
        body_html="",
        status=OutboxMail.Status.SENT,
        dedupe_key="reset:1",
        is_sensitive=True,
    )
    text, document = download(client, author, "exchange:my-data")

    assert document["profile"]["email"] == author.email
    assert [s["title"] for s in document["submissions"]] == [OWN_TITLE]
    assert [a["email"] for a in document["submissions"][0]["authors"]] == [
        author.email,
        BLIND_AUTHOR[1],
    ]
    assert document["submissions"][0]["decision"] is None  # none released
    assert [m["body"] for m in document["mails"] if m["subject"] == "Reset"] == [None]
    for secret in (reviewer.email, reviewer.name, REVIEW_TEXT, "secret-key"):
        assert secret not in text
    assert HIDDEN_TITLE not in text


def test_my_data_of_a_reviewer_has_their_reviews_and_no_author(
    client, world, reviewer, author
):
    text, document = download(client, reviewer, "exchange:my-data")

    assert [r["submission"]["number"] for r in document["reviews"]] == [1, 2]
    assert document["reviews"][0]["submission"]["title"] == OWN_TITLE
    assert document["reviews"][0]["answers"]["summary"] == REVIEW_TEXT
    assert document["submissions"] == []
    for secret in (author.name, author.email, author.affiliation, *BLIND_AUTHOR):
        assert secret not in text


def test_my_data_is_only_ones_own(client, world, outsider):
    text, document = download(client, outsider, "exchange:my-data")

    assert document["submissions"] == document["reviews"] == []
    assert OWN_TITLE not in text


def test_my_data_needs_signing_in_and_is_linked_from_mail_preferences(client, author):
    response = client.get(reverse("exchange:my-data"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(author)
    html = client.get(reverse("mail-preferences")).content.decode()
    assert reverse("exchange:my-data") in html


def queries_of(client, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["exchange:chair-download", "exchange:my-data"])
def test_downloads_take_as_many_queries_for_three_times_the_conference(
    client, conference, chair, reviewer, name
):
    client.force_login(reviewer if name == "exchange:my-data" else chair)
    counts = []
    for added in (1, 2):  # one submission, then three
        for _ in range(added):
            submission = SubmissionFactory(authors=[("A", "a@b.example", "Lab")])
            assignment, _ = assign_reviewer(submission, reviewer, by=chair)
            ReviewFactory(assignment=assignment, score=1, summary="Fine.")
        counts.append(queries_of(client, name))

    assert counts[0] == counts[1]
