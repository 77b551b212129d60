import hashlib
import os

import pytest
from django.core.management import call_command

from haet.seed import STAGE_NOW


@pytest.fixture
def over(db, frozen):
    """The demo conference after the workshop (`make run STAGE=over`)."""
    frozen(STAGE_NOW["over"])
    call_command(
        "seed_haet2022",
        "--stage",
        "over",
        papers=24,
        reviewers=12,
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )


@pytest.fixture
def every_section(over):
    """The demo plus one row of each kind the demo does not make, so the round
    trip covers every section of the format."""
    from django.core.files.base import ContentFile

    from awards.models import AwardResult, Entry, Judgement, ShortlistChange
    from decisions.models import DecisionMailTemplate, Outcome
    from haet import clock
    from haet.models import AwardCategory, Conference, User
    from haet.outbox.models import MailPreference, ReminderSetting
    from proceedings.models import CameraReadyExtension
    from reviews.models import (
        AffinityScore,
        AreaChairInvitation,
        Conflict,
        ConflictLog,
        DiscussionPost,
        ReviewerPublication,
    )
    from submissions.models import (
        DeadlineExtension,
        DeclaredConflict,
        Submission,
        SupplementaryFile,
    )

    now = clock.now()
    chair = User.objects.get(email="chair@haet.example")
    reviewer = User.objects.get(email="reviewer@haet.example")
    submission = Submission.objects.filter(camera_ready__isnull=False).first()
    award = AwardCategory.objects.order_by("pk").first()
    on = {"submission": submission}
    AffinityScore.objects.create(
        reviewer=reviewer, score=0.25, source="uploaded", updated_at=now, **on
    )
    Entry.objects.create(
        award=award,
        entered_by=chair,
        task="ResNet-50",
        dataset="ImageNet",
        target_metric="top-1 (%)",
        target_value=75.9,
        energy_j=3.6e6,
        energy_value=1,
        energy_unit="kWh",
        **on,
    )
    AwardResult.objects.create(
        award=award, place="winner", citation="Fast.", confirmed_by=chair, **on
    )
    Judgement.objects.create(award=award, juror=reviewer, score=8, comment="Good", **on)
    ShortlistChange.objects.create(
        award=award, action="add", changed_by=chair, changed_at=now, **on
    )
    CameraReadyExtension.objects.create(
        until=now, reason="Visa", granted_by=chair, granted_at=now, **on
    )
    DeadlineExtension.objects.create(
        until=now, reason="Power cut", granted_by=chair, granted_at=now, **on
    )
    Conflict.objects.create(
        user=reviewer, source="chair_added", created_by=chair, created_at=now, **on
    )
    ConflictLog.objects.create(
        user=reviewer, source="chair_added", action="added", by=chair, at=now, **on
    )
    DeclaredConflict.objects.create(
        kind="domain", value="rival.edu", declared_by=chair, declared_at=now, **on
    )
    DiscussionPost.objects.create(author=chair, body="Let us discuss.", **on)
    from reviews.models import (
        Assignment,
        Delegation,
        DelegationComment,
        EmergencyInvitation,
    )

    assignment = Assignment.objects.filter(delegations__isnull=True).first()
    delegation = Delegation.objects.create(
        assignment=assignment,
        name="Stu Dent",
        email="stu@lab.example",
        status="accepted",
        delegate=reviewer,
        answered_at=now,
        drafted_at=now,
    )
    DelegationComment.objects.create(
        delegation=delegation, author=assignment.reviewer, body="Tighten section 2."
    )
    EmergencyInvitation.objects.create(
        submission=submission, reviewer=reviewer, due_at=now, invited_by=chair
    )
    AreaChairInvitation.objects.create(email="ac@elsewhere.example", invited_by=chair)
    DecisionMailTemplate.objects.create(
        conference=Conference.objects.current(),
        outcome=Outcome.REJECT,
        subject="Your submission",
        body="Sorry, {{ title }}.",
        updated_by=chair,
    )
    MailPreference.objects.create(user=reviewer, key="digest", enabled=False)
    ReminderSetting.objects.create(key="review", offsets="-3d, -1d", updated_by=chair)
    ReviewerPublication.objects.create(
        reviewer=reviewer,
        source="bibtex",
        title="Sparse things",
        year=2021,
        coauthors=["A. Person"],
    )
    supplementary = SupplementaryFile(
        original_filename="extra.zip",
        sha256=hashlib.sha256(b"PK\x05\x06").hexdigest(),
        size=4,
        uploaded_by=chair,
        uploaded_at=now,
        **on,
    )
    supplementary.file.save("extra.zip", ContentFile(b"PK\x05\x06"), save=False)
    supplementary.save()
    Submission.objects.filter(pk=submission.pk).update(supplementary=supplementary)
    from exchange.models import ImportedSubmission, RetentionPolicy

    ImportedSubmission.objects.create(
        source="hotcrp", source_id="42", imported_at=now, imported_by=chair, **on
    )
    RetentionPolicy.objects.create(
        conference=Conference.objects.current(), months_after_workshop=6
    )
