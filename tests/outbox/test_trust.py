"""Trust in the chairs' outbox (issue 12, findings 1 and 2).

A second chair co-authors submission #1. The real services queue the real mails
(assignments, a review posted, reviewers' reminders, the chairs' overdue digests);
logged in as that chair, no outbox page names #1's reviewers, their pseudonyms, or
#1's title, and the mails about #1 do not exist (404). An unconflicted chair still
sees them. And no chair ever reads a credential: a password reset, an address
verification or an invitation link never appears on any outbox page, and such mails
cannot be held or edited.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from haet import clock
from haet.outbox.models import OutboxMail
from haet.outbox.reminders import send_due_reminders
from reviews import reminders as review_reminders
from reviews.assigning import assign_reviewer
from reviews.models import Invitation
from reviews.pool import invite_reviewer
from reviews.reviewing import save_review
from submissions.models import Author
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.reviews.conftest import REVIEW_CLOSES_AT, REVIEW_TIME, World, answers

pytestmark = pytest.mark.django_db
Status = OutboxMail.Status

HIDDEN_TITLE = "Sparse training of transformers on FPGAs"  # submission #1
FRIENDS = [
    ("vera@friendly-lab.example.net", "Vera Friendly"),
    ("walt@wingman-lab.example.net", "Walt Wingman"),
]
# Every mail a chair can act on, and the pages that show one mail.
MAIL_PAGES = ["outbox:detail", "outbox:edit"]
MAIL_ACTIONS = ["outbox:hold", "outbox:release", "outbox:retry"]


class Trust:
    """World's submission #1, co-authored by `conflicted_chair` (Dana Dean), with
    three reviewers (Rita Assigned, and two "friends" assigned with mail); #2 has
    its own reviewer, Ian Idle, whose mails every chair may see."""

    def __init__(self, world, frozen):
        self.world = world
        self.chair = world.chair
        self.conflicted_chair = world.conflicted_chair
        submission = world.submission
        Author.objects.create(
            submission=submission,
            order=5,
            name=self.conflicted_chair.name,
            email=self.conflicted_chair.email,
            user=self.conflicted_chair,
        )
        frozen(REVIEW_TIME)
        review_reminders.register()
        self.friends = [
            UserFactory(email=email, name=name, role="reviewer")
            for email, name in FRIENDS
        ]
        assignments = [
            assign_reviewer(submission, friend, by=self.chair)[0]
            for friend in self.friends
        ]
        assign_reviewer(
            world.other_submission, world.unassigned_reviewer, by=self.chair
        )
        # A review posted on #1: "Reviewer N submitted a review", to the others.
        save_review(assignments[0], answers(), by=self.friends[0], submit=True)
        # Two days after the review deadline: reviewers' reminders and the chairs'
        # overdue digests (#1: Rita and Walt are late; #2: Ian is).
        frozen(clock.parse_instant(REVIEW_CLOSES_AT) + timedelta(days=1, hours=2))
        send_due_reminders()
        self.hidden_reviewers = [world.reviewer, *self.friends]

    @property
    def leaks(self) -> list[str]:
        """What a page shown to the conflicted chair must never contain."""
        found = [HIDDEN_TITLE]
        for user in self.hidden_reviewers:
            found += [user.name, user.email]
        return found


@pytest.fixture
def trust(conference, author, chair, frozen):
    return Trust(World(conference, author, chair), frozen)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def assert_no_leak(page: str, leaks: list[str]) -> None:
    found = [leak for leak in leaks if leak.lower() in page.lower()]
    assert found == []
    # "#1" as a submission number (not an HTML entity such as &#10;).
    assert re.search(r"(?<!&)#1\b", page) is None


def mails_about_hidden(trust) -> list[OutboxMail]:
    """Found as the unconflicted chair reads them: every mail whose text names #1's
    title or one of its reviewers."""
    return [
        mail
        for mail in OutboxMail.objects.all()
        if any(leak in mail.body_text or leak in mail.to_email for leak in trust.leaks)
    ]


def test_the_scenario_mails_name_the_hidden_submission(trust):
    """The premise: the real services mailed about #1 (assignments, the review,
    reminders, a digest naming its late reviewers) and about #2."""
    templates = {m.template for m in mails_about_hidden(trust)}
    digest = OutboxMail.objects.get(template="chair_digest", to_email=trust.chair.email)

    assert {"assignment", "review_reminder", "chair_digest"} <= templates
    assert "Rita Assigned (Reviewer 1)" in digest.body_text
    assert "Ian Idle" in digest.body_text


def test_conflicted_chair_outbox_list_shows_nothing_about_their_submission(trust):
    client = as_user(trust.conflicted_chair)

    response = client.get(reverse("outbox:list"))

    page = text(response)
    assert_no_leak(page, trust.leaks)
    assert trust.world.unassigned_reviewer.email in page  # #2's mails are there


def test_conflicted_chair_status_counts_cover_only_visible_mails(trust):
    client = as_user(trust.conflicted_chair)

    response = client.get(reverse("outbox:list"))

    shown = len(response.context["mails"])
    assert shown == OutboxMail.objects.count() - len(mails_about_hidden(trust))
    assert f"All ({shown})" in text(response)
    assert sum(count for _, _, count in response.context["status_tabs"]) == shown


@pytest.mark.parametrize("query", [*(email for email, _ in FRIENDS), "Sparse", "#1"])
def test_conflicted_chair_search_finds_nothing_hidden(trust, query):
    client = as_user(trust.conflicted_chair)

    response = client.get(reverse("outbox:list"), {"q": query})

    assert list(response.context["mails"]) == []
    assert_no_leak(text(response).replace(query, ""), trust.leaks)  # minus the echo


def test_conflicted_chair_opens_no_hidden_mail(trust):
    client = as_user(trust.conflicted_chair)
    hidden = mails_about_hidden(trust)

    statuses = {
        (mail.pk, name): client.get(reverse(name, args=[mail.pk])).status_code
        for mail in hidden
        for name in MAIL_PAGES
    }
    statuses |= {
        (mail.pk, name): client.post(reverse(name, args=[mail.pk])).status_code
        for mail in hidden
        for name in MAIL_ACTIONS
    }

    assert set(statuses.values()) == {404}
    assert not OutboxMail.objects.filter(status=Status.HELD).exists()


def test_every_mail_the_conflicted_chair_can_open_is_clean(trust):
    client = as_user(trust.conflicted_chair)
    opened = 0

    for mail in OutboxMail.objects.all():
        response = client.get(reverse("outbox:detail", args=[mail.pk]))
        if response.status_code == 404:
            continue
        assert response.status_code == 200
        assert_no_leak(text(response), trust.leaks)
        opened += 1

    assert opened == OutboxMail.objects.count() - len(mails_about_hidden(trust))
    assert opened > 0


def test_conflicted_chairs_own_digest_leaves_out_their_submission(trust):
    digest = OutboxMail.objects.get(
        template="chair_digest", to_email=trust.conflicted_chair.email
    )

    assert "Ian Idle" in digest.body_text
    assert_no_leak(digest.body_text, trust.leaks)


def test_an_unconflicted_chair_still_sees_every_mail(trust):
    client = as_user(trust.chair)
    digest = OutboxMail.objects.get(
        template="chair_digest", to_email=trust.conflicted_chair.email
    )
    other_digest = OutboxMail.objects.get(
        template="chair_digest", to_email=trust.chair.email
    )

    listing = client.get(reverse("outbox:list"))
    details = [
        client.get(reverse("outbox:detail", args=[m.pk]))
        for m in mails_about_hidden(trust)
    ]

    assert len(listing.context["mails"]) == OutboxMail.objects.count()
    assert {r.status_code for r in details} == {200}
    assert "Walt Wingman (Reviewer" in text(
        client.get(reverse("outbox:detail", args=[other_digest.pk]))
    )
    assert client.get(reverse("outbox:detail", args=[digest.pk])).status_code == 200


# --- credentials: no chair reads a reset, verification or invitation link ----------
def chair_pages(chair, mails: list[OutboxMail]) -> list[str]:
    """Every outbox page a chair can open about these mails, searches included."""
    client = as_user(chair)
    pages = [text(client.get(reverse("outbox:list")))]
    for mail in mails:
        pages.append(text(client.get(reverse("outbox:list"), {"q": mail.to_email})))
        pages.append(text(client.get(reverse("outbox:list"), {"q": mail.subject})))
        for name in MAIL_PAGES:
            pages.append(text(client.get(reverse(name, args=[mail.pk]), follow=True)))
    return pages


def try_to_hold_and_edit(chair, mail: OutboxMail) -> list[str]:
    client = as_user(chair)
    held = client.post(reverse("outbox:hold", args=[mail.pk]), follow=True)
    edited = client.post(
        reverse("outbox:edit", args=[mail.pk]),
        {"subject": "Reset", "body_text": "Use https://evil.example/ instead"},
        follow=True,
    )
    return [text(held), text(edited)]


def request_reset(user) -> None:
    Client().post(reverse("account_reset_password"), {"email": user.email})


def sign_up(email: str) -> None:
    Client().post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def add_address(user, email: str) -> None:
    as_user(user).post(reverse("account_email"), {"action_add": "", "email": email})


def test_password_reset_link_never_reaches_a_chair(
    conference, chair, author, mailoutbox, django_capture_on_commit_callbacks
):
    # The on-commit publish is captured, not run: the mail waits QUEUED, the one
    # moment a chair could hold it.
    with django_capture_on_commit_callbacks() as publishing:
        request_reset(author)
    mail = OutboxMail.objects.get(to_email=author.email)

    attempts = try_to_hold_and_edit(chair, mail)
    pages = chair_pages(chair, [mail])
    mail.refresh_from_db()
    for publish in publishing:
        publish()

    [sent] = mailoutbox
    key = re.search(r"/accounts/password/reset/key/([^/\s]+)/", sent.body).group(1)
    assert all(key not in page for page in pages + attempts)
    assert all("credential" in page for page in attempts)
    assert (mail.status, mail.edited_by) == (Status.QUEUED, None)
    # The reset still works for its owner.
    reset = Client().get(f"/accounts/password/reset/key/{key}/", follow=True)
    assert reset.status_code == 200
    assert "password1" in text(reset)


@pytest.mark.parametrize(
    "flow", ["sign_up", "add_address"], ids=["signup", "email-change"]
)
def test_verification_link_never_reaches_a_chair(
    conference, chair, author, mailoutbox, django_capture_on_commit_callbacks, flow
):
    # One address per flow: allauth rate-limits confirmation mails per address.
    address = f"newcomer-{flow}@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        if flow == "sign_up":
            sign_up(address)
        else:
            add_address(author, address)
    mail = OutboxMail.objects.get(to_email=address)

    pages = chair_pages(chair, [mail]) + try_to_hold_and_edit(chair, mail)

    [sent] = [m for m in mailoutbox if m.to == [address]]
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", sent.body).group(1)
    assert all(key not in page for page in pages)


def test_invitation_links_never_reach_a_chair(
    conference, chair, mailoutbox, frozen, django_capture_on_commit_callbacks
):
    frozen("2022-05-01T09:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        invite_reviewer("invitee@example.org", name="Ivy Invitee", by=chair)
    frozen("2022-05-04T10:00:00Z")  # three days on: the invitation reminder
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(only=["reviewer_invitation"])
    mails = list(OutboxMail.objects.filter(to_email="invitee@example.org"))
    token = Invitation.objects.get(email="invitee@example.org").token

    pages = chair_pages(chair, mails)

    assert sorted(m.template for m in mails) == [
        "reviewer_invitation",
        "reviewer_invitation_reminder",
    ]
    assert [token in m.body for m in mailoutbox] == [True, True]
    assert all(token not in page for page in pages)


def test_the_admin_shows_no_credential_either(
    conference, author, mailoutbox, django_capture_on_commit_callbacks
):
    admin = UserFactory(email="root@example.org", name="Root Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        request_reset(author)
    mail = OutboxMail.objects.get(to_email=author.email)

    page = text(
        as_user(admin).get(reverse("admin:outbox_outboxmail_change", args=[mail.pk]))
    )

    [sent] = mailoutbox
    key = re.search(r"/accounts/password/reset/key/([^/\s]+)/", sent.body).group(1)
    assert author.email in page  # the page is the mail's
    assert key not in page
