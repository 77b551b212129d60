"""Composing and queueing campaigns: recipients, placeholders (blind rules),
exactly-once queueing, mail preferences, conflicts, the background job."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from campaigns.audiences import recipient_kind
from campaigns.composing import Draft, prepare
from campaigns.models import Campaign, CampaignMail
from campaigns.placeholders import offered
from campaigns.sending import queue_campaign, queue_in_background
from haet.jobs.models import Job
from haet.jobs.services import run_job
from haet.outbox.models import MailPreference, OutboxMail, OutboxMailSubmission
from haet.outbox.preferences import CAMPAIGNS
from submissions.models import FieldAnswer, SubmissionField
from tests.campaigns.conftest import DISTINCTIVE_AUTHOR

pytestmark = pytest.mark.django_db

BODY = (
    "Dear {{ recipient.name }},\n#{{ submission.number }} “{{ submission.title }}”"
    "\nReviews are due {{ review_deadline }}."
)


def sent_mails():
    """The campaigns' outbox rows (assigning reviewers queued others)."""
    return OutboxMail.objects.filter(template="campaign")


def delivered(mailoutbox) -> list:
    return [m for m in mailoutbox if "Reviews are due" in m.body]


def draft(**changes) -> Draft:
    values = {
        "recipients": "authors",
        "search": "status:submitted",
        "subject": "[{{ conference }}] About #{{ submission.number }}",
        "body": BODY,
        **changes,
    }
    return Draft(**values)


def queue(world, the_draft: Draft, *, by=None, token=None, on_commit=True):
    """Preview, then queue what the preview showed; runs the on-commit delivery."""
    by = by or world.chair
    prepared = prepare(the_draft, by=by, conference=world.first.conference)
    with TestCase.captureOnCommitCallbacks(execute=on_commit):
        return queue_campaign(
            the_draft,
            token=token or uuid.uuid4(),
            fingerprint=prepared.fingerprint,
            conference=world.first.conference,
            by=by,
        )


def test_authors_per_submission_get_one_filled_mail_each(world, mailoutbox):
    campaign, created = queue(world, draft())

    assert created
    sent = sorted(
        (link.submission_id, link.mail.to_email)
        for link in OutboxMailSubmission.objects.filter(
            mail__template="campaign"
        ).select_related("mail")
    )
    # #1: its contact and two co-authors; #2: its contact and the co-chair. Never
    # the draft (#3), which the search leaves out.
    first, second = world.first.pk, world.second.pk
    assert sent == sorted(
        [
            (first, "ada@uni-a.example"),
            (first, "cora@uni-b.example"),
            (first, DISTINCTIVE_AUTHOR[1]),
            (second, "olga@elsewhere.example"),
            (second, "cochair@example.org"),
        ]
    )
    one = sent_mails().get(dedupe_key__endswith=f"{world.first.pk}:ada@uni-a.example")
    assert (
        one.dedupe_key == f"campaign:{campaign.pk}:{world.first.pk}:ada@uni-a.example"
    )
    assert one.subject == "[HAET 2022] About #1"
    assert "Dear Ada Author,\n#1 “Sparse training on FPGAs”" in one.body_text
    assert "Reviews are due 8 June 2022" in one.body_text
    assert campaign.status == Campaign.Status.QUEUED
    assert campaign.mails.count() == sent_mails().count() == 5
    assert len(delivered(mailoutbox)) == 5  # delivered (eager), each once


def test_unknown_placeholder_is_refused_with_its_name_before_anything_is_queued(
    world,
):
    with pytest.raises(ValidationError) as error:
        queue(world, draft(body="Hello {{ recipient.name }} {{ submission.colour }}"))

    assert error.value.messages == ["Unknown placeholder {{ submission.colour }}."]
    assert (Campaign.objects.count(), sent_mails().count()) == (0, 0)


@pytest.mark.parametrize(
    ("recipients", "placeholder", "message"),
    [
        (
            "reviewers",
            "submission.authors",
            "{{ submission.authors }} would reveal the authors to reviewers: not "
            "allowed in this mail.",
        ),
        (
            "missing-reviews",
            "submission.affiliations",
            "{{ submission.affiliations }} would reveal the authors to reviewers: "
            "not allowed in this mail.",
        ),
        (
            "authors",
            "submission.reviewers",
            "{{ submission.reviewers }} would reveal the reviewers to authors: not "
            "allowed in this mail.",
        ),
        (
            "committee",
            "submission.authors",
            "{{ submission.authors }} would reveal the authors to the programme "
            "committee: not allowed in this mail.",
        ),
    ],
)
def test_identity_placeholders_are_refused_for_the_other_side(
    world, recipients, placeholder, message
):
    body = "Dear {{ recipient.name }}: {{ %s }}" % placeholder  # noqa: UP031

    with pytest.raises(ValidationError) as error:
        queue(world, draft(recipients=recipients, body=body, subject="Hello"))

    assert error.value.messages == [message]
    assert sent_mails().count() == 0


def test_identity_placeholders_are_not_offered_to_the_other_side():
    to_reviewers = {name for name, _ in offered(recipient_kind("reviewers"))}
    to_authors = {name for name, _ in offered(recipient_kind("authors"))}

    assert "submission.authors" in to_authors
    assert not {"submission.authors", "submission.affiliations"} & to_reviewers
    assert "submission.reviewers" not in to_authors | to_reviewers
    assert {"recipient.name", "submissions", "review_deadline"} <= to_reviewers


def test_a_submission_placeholder_needs_one_mail_per_submission(world):
    with pytest.raises(ValidationError) as error:
        queue(world, draft(recipients="authors-person", subject="Hi"))

    assert error.value.messages[0] == (
        "{{ submission.number }} needs one mail per submission: choose such "
        "recipients, or use {{ submissions }}."
    )


def test_a_double_submit_queues_one_campaign_and_one_mail_per_recipient(world):
    token = uuid.uuid4()
    first, created = queue(world, draft(), token=token)
    again, created_again = queue(world, draft(), token=token)

    assert (created, created_again) == (True, False)
    assert again == first
    assert Campaign.objects.count() == 1
    assert sent_mails().count() == first.mails.count() == 5
    # A retry of the queueing itself (the job's work) queues nothing twice.
    assert queue_in_background(first, by=world.chair) == 0
    assert sent_mails().count() == 5


def test_a_preview_out_of_date_is_refused(world):
    the_draft = draft()
    with pytest.raises(ValidationError) as error:
        queue_campaign(
            the_draft,
            token=uuid.uuid4(),
            fingerprint="what an older preview showed",
            conference=world.first.conference,
            by=world.chair,
        )
    assert "changed since the preview" in error.value.messages[0]
    assert Campaign.objects.count() == 0


def test_a_conflicted_chair_cannot_target_their_submission(world):
    prepared = prepare(
        draft(), by=world.conflicted_chair, conference=world.first.conference
    )

    numbers = {s.number for r in prepared.recipients for s in r.submissions}
    assert numbers == {1}
    campaign, _ = queue(world, draft(), by=world.conflicted_chair)
    assert sorted(sent_mails().values_list("to_email", flat=True)) == sorted(
        ["ada@uni-a.example", "cora@uni-b.example", DISTINCTIVE_AUTHOR[1]]
    )
    assert (
        list(campaign.mails.values_list("submission_ids", flat=True))
        == [[world.first.pk]] * 3
    )


def test_non_essential_campaigns_honour_mail_preferences(world, mailoutbox):
    MailPreference.objects.create(user=world.author, key=CAMPAIGNS, enabled=False)

    campaign, _ = queue(world, draft())

    skipped = campaign.mails.get(to_email="ada@uni-a.example")
    assert (skipped.mail, skipped.skipped) == (None, CampaignMail.Skipped.PREFERENCES)
    assert "ada@uni-a.example" not in {m.to[0] for m in delivered(mailoutbox)}
    assert len(delivered(mailoutbox)) == 4
    assert "Turn these mails off" in delivered(mailoutbox)[0].body


def test_essential_campaigns_reach_everyone(world, mailoutbox):
    MailPreference.objects.create(user=world.author, key=CAMPAIGNS, enabled=False)

    queue(world, draft(is_essential=True))

    assert "ada@uni-a.example" in {m.to[0] for m in delivered(mailoutbox)}
    assert len(delivered(mailoutbox)) == 5
    assert "Turn these mails off" not in delivered(mailoutbox)[0].body


def test_reviewer_kinds_list_their_submissions_without_authors(world):
    the_draft = draft(
        recipients="missing-reviews",
        subject="Reviews missing",
        body="Dear {{ recipient.name }},\n{{ submissions }}",
    )
    queue(world, the_draft)

    mail = sent_mails().get()
    assert mail.to_email == "lou@rev2.example.net"
    assert mail.body_text.startswith(
        "Dear Lou Late,\n#1 “Sparse training on FPGAs”\n#2 “Energy-aware pruning”"
    )
    for identity in (*DISTINCTIVE_AUTHOR, "Ada Author", "uni-a"):
        assert identity not in mail.body_text
    assert sorted(mail.submission_links.values_list("submission_id", flat=True)) == [
        world.first.pk,
        world.second.pk,
    ]


@pytest.mark.parametrize(
    ("recipients", "included", "left_out"),
    [
        ("reviewers", {"lou@rev2.example.net", "rita@rev.example.net"}, set()),
        ("jurors", {"jules@jury.example"}, {"rita@rev.example.net"}),
        ("invitees", {"ivy@invited.example"}, {"rita@rev.example.net"}),
        (
            "committee",
            {"chair@example.org", "lou@rev2.example.net", "rita@rev.example.net"},
            {"ada@uni-a.example", "jules@jury.example"},
        ),
    ],
)
def test_other_recipient_kinds(world, recipients, included, left_out):
    the_draft = draft(recipients=recipients, subject="Hi", body="{{ recipient.name }}")

    prepared = prepare(the_draft, by=world.chair, conference=world.first.conference)

    emails = [r.email for r in prepared.recipients]
    assert len(emails) == len(set(emails))
    assert included <= set(emails)
    assert not left_out & set(emails)
    if recipients == "reviewers":
        assert emails == sorted(included)


def test_a_large_campaign_is_queued_by_a_job_once(world, monkeypatch):
    monkeypatch.setattr("campaigns.sending.INLINE_LIMIT", 2)
    campaign, _ = queue(world, draft(), on_commit=False)  # the job waits

    assert (campaign.status, sent_mails().count()) == ("queuing", 0)
    job = Job.objects.get()
    assert campaign.job == job
    run_job(job.pk)
    run_job(job.pk)  # a redelivered task: does nothing

    campaign.refresh_from_db()
    assert (campaign.status, sent_mails().count()) == ("queued", 5)
    assert Job.objects.get().result["summary"] == ["5 mails queued in the outbox."]


def test_custom_fields_are_placeholders_of_mails_per_submission(world):
    field = SubmissionField.objects.create(
        conference=world.first.conference,
        label="Will you present in person?",
        slug="in_person",
        kind=SubmissionField.Kind.YES_NO,
    )
    FieldAnswer.objects.create(
        submission=world.first, field=field, value=True, text="Yes"
    )
    kind = recipient_kind("authors")
    assert ("field.in_person", "A custom field's answer") in offered(
        kind, ["field.in_person"]
    )

    queue(world, draft(body="In person: {{ field.in_person }}.", subject="Hi"))

    texts = {
        (m.submission_links.get().submission_id, m.body_text.split("\n")[0])
        for m in sent_mails()
    }
    assert texts == {
        (world.first.pk, "In person: Yes."),
        (world.second.pk, "In person: ."),
    }
    with pytest.raises(ValidationError) as error:
        queue(
            world,
            draft(recipients="reviewers", subject="Hi", body="{{ field.in_person }}"),
        )
    assert error.value.messages == [
        "{{ field.in_person }}: custom fields need one mail per submission."
    ]
