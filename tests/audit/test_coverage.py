"""Issue 15, "Every service that writes appends an entry", by construction: every
model of haet's own apps is audited or exempt here with its reason, so a new
model cannot be forgotten. Then a few services that write through the newer
registrations, the conflict filter on their entries, and no credential logged."""

import json
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import TestCase
from django.utils.functional import SimpleLazyObject

from api.tokens import create_token, revoke_token, scopes_for
from campaigns.composing import Draft, prepare
from campaigns.sending import queue_campaign
from haet import clock
from haet.audit.chain import is_secret
from haet.audit.models import AuditEntry
from haet.audit.queries import visible_entries
from haet.audit.registry import audited_m2m_fields, audited_models
from haet.services import set_role
from reviews.bidding import place_bid
from reviews.delegation import propose_delegation
from reviews.models import EmergencyInvitation, Invitation
from submissions.tagging import create_tag, tag_submissions, untag_submissions
from tests.factories import UserFactory
from tests.reviews.conftest import BIDDING_TIME, REVIEW_TIME

# The project's own apps (not Django's, allauth's, DRF's).
OWN_APPS = {
    "haet",
    "outbox",
    "jobs",
    "audit",
    "submissions",
    "reviews",
    "decisions",
    "proceedings",
    "awards",
    "schedule",
    "campaigns",
    "exchange",
    "api",
}

# Models no entry is written for, and why. Anything else must be registered with
# haet.audit.registry.register_audited in its app's AppConfig.ready().
EXEMPT = {
    "audit.AuditEntry": "the log itself",
    "jobs.Job": "a background job's progress row; what the job writes is audited "
    "under the person who started it (haet.jobs binds them as the actor)",
    "outbox.OutboxMailSubmission": "the links of an audited mail to its "
    "submissions; the log reads them to file and hide mail entries",
    "campaigns.CampaignMail": "delivery bookkeeping of a campaign: the campaign "
    "and each of its outbox mails are audited",
    "reviews.AssignmentRun": "a solver run's progress row; deploying it writes "
    "audited Assignments (their `run` says which)",
    "reviews.AffinityScore": "derived data, recomputed in bulk from the audited "
    "profiles, bids and uploads",
    "reviews.ConflictLog": "the history of Conflict rows, which are audited",
    "decisions.DecisionLog": "the history of Decision rows, which are audited",
}


# Many-to-many fields (no save signal sees them) no entry is written for, and why;
# any other is registered with haet.audit.registry.register_audited_m2m.
EXEMPT_M2M = {
    "haet.User.groups": "the roles: haet.services.set_role logs role.granted and "
    "role.revoked",
    "haet.User.user_permissions": "unused: haet's permissions are rules on roles",
}


def own_models() -> list:
    return [m for m in apps.get_models() if m._meta.app_label in OWN_APPS]


def test_every_model_is_audited_or_exempt_with_a_reason():
    audited = {m._meta.label for m in audited_models()}

    forgotten = [
        m._meta.label
        for m in own_models()
        if m._meta.label not in audited and m._meta.label not in EXEMPT
    ]

    assert forgotten == [], (
        f"Not in the audit log: {forgotten}. Register each with register_audited in "
        "its app's AppConfig.ready(), or add it to EXEMPT with the reason."
    )
    assert all(reason.strip() for reason in EXEMPT.values())


def test_every_many_to_many_field_is_audited_or_exempt_with_a_reason():
    audited = {f"{m._meta.label}.{name}" for m, name in audited_m2m_fields()}
    fields = {
        f"{m._meta.label}.{field.name}"
        for m in own_models()
        for field in m._meta.local_many_to_many
    }

    assert sorted(fields - audited - set(EXEMPT_M2M)) == []
    assert set(EXEMPT_M2M) <= fields - audited


def test_the_exempt_list_names_only_real_unaudited_models():
    labels = {m._meta.label for m in own_models()}
    audited = {m._meta.label for m in audited_models()}

    assert set(EXEMPT) <= labels
    assert not set(EXEMPT) & audited


def test_every_project_app_is_walked():
    # A new app of the project must join OWN_APPS, or its models go unchecked.
    ours = {
        config.label
        for config in apps.get_app_configs()
        if not config.name.startswith(("django.", "allauth", "rest_framework"))
        and config.name not in {"rules", "drf_spectacular"}
    }
    assert ours == OWN_APPS


# --- services through the newer registrations ---------------------------------------


def actions_about(submission) -> list[str]:
    return list(
        AuditEntry.objects.filter(submission_id=submission.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def everything_logged() -> str:
    return json.dumps(list(AuditEntry.objects.values("before", "after")))


@pytest.mark.django_db
def test_tagging_and_untagging_a_submission_are_entries(world):
    tag = create_tag(
        world.conference,
        name="needs-4th",
        colour="red",
        visibility="chairs",
        by=world.chair,
    )

    assert tag_submissions(tag, [world.submission], by=world.chair) == 1
    assert tag_submissions(tag, [world.submission], by=world.chair) == 0  # idempotent
    untag_submissions(tag, [world.submission], by=world.chair)

    entries = list(
        AuditEntry.objects.filter(object_type="submissions.submissiontag").order_by(
            "pk"
        )
    )
    assert [e.action for e in entries] == [
        "submission_tag.created",
        "submission_tag.deleted",
    ]
    assert {e.submission_id for e in entries} == {world.submission.pk}
    assert entries[0].after == {"tag": tag.pk, "added_by": world.chair.pk}
    assert AuditEntry.objects.filter(
        action="tag.created", object_id=tag.pk, after__name="needs-4th"
    ).exists()


@pytest.mark.django_db
def test_changing_a_submissions_topics_is_an_entry(world):
    first, second = world.topics[:2]
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    world.submission.topics.set([second])
    world.submission.topics.clear()

    entries = AuditEntry.objects.filter(
        pk__gt=last or 0, action__startswith="submission.topics_"
    )
    assert [
        (e.action, e.before, e.after, e.submission_id) for e in entries.order_by("pk")
    ] == [
        ("submission.topics_removed", {"topics": [first.pk]}, {}, world.submission.pk),
        ("submission.topics_added", {}, {"topics": [second.pk]}, world.submission.pk),
        ("submission.topics_removed", {"topics": [second.pk]}, {}, world.submission.pk),
    ]


@pytest.mark.django_db
def test_a_bid_is_an_entry_about_its_submission(world, frozen):
    frozen(BIDDING_TIME)
    place_bid(world.other_submission, world.reviewer, value="eager")
    place_bid(world.other_submission, world.reviewer, value="willing")

    bids = AuditEntry.objects.filter(object_type="reviews.bid").order_by("pk")
    assert [(e.action, e.after, e.submission_id) for e in bids] == [
        (
            "bid.created",
            {"reviewer": world.reviewer.pk, "value": "eager"},
            world.other_submission.pk,
        ),
        ("bid.updated", {"value": "willing"}, world.other_submission.pk),
    ]


@pytest.mark.django_db
def test_granting_and_revoking_a_role_are_entries(world):
    person = UserFactory(email="newcomer@example.net")
    before = AuditEntry.objects.count()

    set_role(person, "reviewer", granted=True)
    set_role(person, "reviewer", granted=True)  # already one: nothing to log
    set_role(person, "reviewer", granted=False)

    entries = list(AuditEntry.objects.filter(pk__gt=0).order_by("pk")[before:])
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        ("role.granted", "haet.user", person.pk),
        ("role.revoked", "haet.user", person.pk),
    ]
    assert (entries[0].before, entries[0].after) == (
        {"role": None},
        {"role": "reviewer"},
    )
    assert (entries[1].before, entries[1].after) == (
        {"role": "reviewer"},
        {"role": None},
    )


@pytest.mark.django_db
def test_a_role_granted_to_the_signed_in_person_is_an_entry(world):
    # A view passes request.user: a lazy proxy of the user, not a User.
    person = UserFactory(email="accepting@example.net")

    set_role(SimpleLazyObject(lambda: person), "area_chair", granted=True)

    entry = AuditEntry.objects.get(action="role.granted", object_id=person.pk)
    assert (entry.object_type, entry.after) == ("haet.user", {"role": "area_chair"})


@pytest.mark.django_db
def test_queueing_a_campaign_is_an_entry(world):
    draft = Draft(
        recipients="authors",
        search="#2",
        subject="About your submission",
        body="Dear {{ recipient.name }}, a note.",
    )
    prepared = prepare(draft, by=world.chair, conference=world.conference)
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign, created = queue_campaign(
            draft,
            token=uuid.uuid4(),
            fingerprint=prepared.fingerprint,
            conference=world.conference,
            by=world.chair,
        )

    assert created
    entry = AuditEntry.objects.get(action="campaign.created", object_id=campaign.pk)
    assert entry.after["subject"] == "About your submission"
    assert entry.after["created_by"] == world.chair.pk
    assert entry.after["token"] == "[redacted]"


@pytest.mark.django_db
def test_proposing_a_delegation_is_an_entry_without_its_token(world, frozen):
    frozen(REVIEW_TIME)
    delegation = propose_delegation(
        world.assignment,
        name="Dora Student",
        email="dora@student-lab.example.net",
        by=world.reviewer,
    )

    entry = AuditEntry.objects.get(
        object_type="reviews.delegation", object_id=delegation.pk
    )
    assert entry.action == "delegation.created"
    assert entry.submission_id == world.submission.pk
    assert entry.after["email"] == "dora@student-lab.example.net"
    assert entry.after["token"] == "[redacted]"
    assert delegation.token not in everything_logged()


@pytest.mark.django_db
def test_a_conflicted_chair_sees_no_entry_about_their_submission(
    history, frozen, login
):
    frozen(BIDDING_TIME)
    tag = create_tag(
        history.conference,
        name="hot",
        colour="red",
        visibility="chairs",
        by=history.chair,
    )
    tag_submissions(
        tag, [history.submission, history.other_submission], by=history.chair
    )
    bidder = UserFactory(email="bidder@far-away.example.net", role="reviewer")
    place_bid(history.submission, bidder, value="eager")
    EmergencyInvitation.objects.create(
        submission=history.submission,
        reviewer=bidder,
        due_at=clock.now() + timedelta(days=3),
        invited_by=history.chair,
    )
    about_hidden = AuditEntry.objects.filter(submission_id=history.submission.pk)
    assert {
        "submission_tag.created",
        "bid.created",
        "emergency_invitation.created",
    } <= set(about_hidden.values_list("action", flat=True))

    hidden = visible_entries(history.conflicted_chair).filter(
        submission_id=history.submission.pk
    )
    seen = visible_entries(history.conflicted_chair).filter(
        object_type="submissions.submissiontag"
    )
    assert not hidden.exists()
    assert list(seen.values_list("submission_id", flat=True)) == [
        history.other_submission.pk
    ]
    page = login(history.conflicted_chair).get("/chair/audit/", {"per": 200})
    rows = page.context["rows"]
    assert "bid.created" not in {r.entry.action for r in rows}
    assert history.submission.pk not in {r.entry.submission_id for r in rows}
    # The unconflicted chair sees them all.
    assert (
        visible_entries(history.chair)
        .filter(submission_id=history.submission.pk, action="bid.created")
        .exists()
    )


# --- never a credential ---------------------------------------------------------------
@pytest.mark.django_db
def test_tokens_and_their_hashes_are_never_logged(world):
    scope = scopes_for(world.chair)[0][0]
    token, key = create_token(world.chair, name="Scripts", scope=scope)
    revoke_token(token, by=world.chair)
    invitation = Invitation.objects.create(email="pool@example.net", name="Pat Pool")
    emergency = EmergencyInvitation.objects.create(
        submission=world.other_submission,
        reviewer=world.reviewer,
        due_at=clock.now() + timedelta(days=3),
    )

    logged = everything_logged()
    for secret in (key, token.key_hash, invitation.token, emergency.token):
        assert secret not in logged
    created = AuditEntry.objects.get(action="api_token.created", object_id=token.pk)
    assert created.after["key_hash"] == "[redacted]"
    assert created.after["name"] == "Scripts"
    assert AuditEntry.objects.filter(
        action="api_token.revoked", object_id=token.pk
    ).exists()
    assert (
        AuditEntry.objects.get(
            action="reviewer_invitation.created", object_id=invitation.pk
        ).after["token"]
        == "[redacted]"
    )


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("key_hash", True),
        ("api_key", True),
        ("token", True),
        ("session_key", True),
        ("client_secret", True),
        ("keywords", False),  # a submission's keywords are no key
        ("key", False),  # a slug (a review question's, a mail preference's)
        ("sha256", False),  # a file's checksum
    ],
)
def test_what_counts_as_a_credential(name, secret):
    assert is_secret(name) is secret
