"""Deciding and notifying: who may decide, release mails once per author with the
right template, double release sends nothing, a change after release sends one
correction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from decisions.deciding import NeedsConfirmation, clear_decision, decide, decide_many
from decisions.mail_templates import mail_templates, save_mail_template
from decisions.models import Decision, DecisionLog, Outcome
from decisions.release import ReleaseChanged, preview_release, release_decisions
from haet.outbox.models import OutboxMail
from submissions.models import Submission
from tests.decisions.conftest import LEAK_EMAIL
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

AUTHORS_OF_1 = sorted(["author@example.org", "cora@coauthors.example", LEAK_EMAIL])


@pytest.fixture
def release(committed):
    """Preview, then send what was previewed, delivering the mails."""

    def run(world, chair):
        _, tokens, _ = preview_release(world.conference, by=chair)
        return committed(release_decisions, world.conference, tokens=tokens, by=chair)

    return run


def test_a_chair_decides_and_the_change_is_logged(world, chair, release):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)

    decision = Decision.objects.get(submission=world.submission)
    assert decision.outcome == Outcome.ACCEPT_ORAL
    assert decision.released_at is None
    assert [
        (log.previous_outcome, log.outcome) for log in DecisionLog.objects.all()
    ] == [
        ("", "accept_poster"),
        ("accept_poster", "accept_oral"),
    ]


@pytest.mark.parametrize("persona", ["author", "reviewer", "conflicted_chair"])
def test_only_non_conflicted_chairs_decide(world, persona):
    with pytest.raises(PermissionDenied):
        decide(world.submission, Outcome.REJECT, by=world.user(persona))

    assert not Decision.objects.exists()


def test_a_desk_reject_needs_its_reason(world, chair, release):
    with pytest.raises(ValidationError, match="reason"):
        decide(world.submission, Outcome.DESK_REJECT, by=chair)

    decision = decide(
        world.submission, Outcome.DESK_REJECT, reason="Not anonymous.", by=chair
    )
    assert decision.reason == "Not anonymous."


def test_a_withdrawn_submission_cannot_be_decided(world, chair, release):
    Submission.objects.filter(pk=world.submission.pk).update(
        state=Submission.State.WITHDRAWN
    )
    world.submission.refresh_from_db()

    with pytest.raises(ValidationError, match="withdrawn"):
        decide(world.submission, Outcome.REJECT, by=chair)


def test_bulk_decisions_are_all_or_nothing(world, chair, release):
    # The conflicted chair may decide #2 but not #1: neither changes.
    with pytest.raises(PermissionDenied):
        decide_many(
            [world.other_submission, world.submission],
            Outcome.REJECT,
            by=world.conflicted_chair,
        )
    assert not Decision.objects.exists()

    decided = decide_many(
        [world.other_submission, world.submission], Outcome.REJECT, by=chair
    )
    assert [d.submission.number for d in decided] == [1, 2]


def test_release_mails_each_author_once_with_the_outcome_template(
    world, chair, mailoutbox, release
):
    ReviewFactory(
        assignment=world.assignment, score=2, comments="Convincing FPGA results."
    )
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)

    result = release(world, chair)

    assert result.released == [1, 2]
    assert result.mail_count == 4
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_recipient) == sorted([*AUTHORS_OF_1, "other@elsewhere.example"])
    accepted = by_recipient["cora@coauthors.example"]
    assert "accepted as an oral presentation" in accepted.subject
    assert "Dear Cora Coauthor" in accepted.body
    assert "--- Reviewer 1 ---" in accepted.body
    assert "Convincing FPGA results." in accepted.body
    assert "Rita Assigned" not in accepted.body  # signed by pseudonym only
    rejected = by_recipient["other@elsewhere.example"]
    assert "was not accepted" in rejected.body
    keys = sorted(OutboxMail.objects.values_list("dedupe_key", flat=True))
    assert f"decision:{world.submission.pk}:cora@coauthors.example:1" in keys


def test_confidential_answers_never_reach_the_mail(
    world, chair, mailoutbox, release, committed
):
    ReviewFactory(
        assignment=world.assignment,
        score=1,
        comments="Fine.",
        confidential="Borderline, honestly",
    )
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)

    release(world, chair)

    assert mailoutbox
    assert all("Borderline, honestly" not in m.body for m in mailoutbox)


def test_a_second_release_sends_nothing(world, chair, mailoutbox, release, committed):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    committed(release_decisions, world.conference, tokens=tokens, by=chair)
    sent = len(mailoutbox)

    # The same POST again (a double click), then a fresh release.
    again = committed(release_decisions, world.conference, tokens=tokens, by=chair)
    fresh = release(world, chair)

    assert sent == 3
    assert (again.released, fresh.released) == ([], [])
    assert len(mailoutbox) == 3
    assert OutboxMail.objects.count() == 3


def test_a_decision_changed_after_the_preview_sends_nothing(
    world, chair, mailoutbox, release, committed
):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    decide(world.submission, Outcome.REJECT, by=chair)

    with pytest.raises(ReleaseChanged, match="#1"):
        release_decisions(world.conference, tokens=tokens, by=chair)

    assert mailoutbox == []
    assert Decision.objects.get().released_at is None


def test_a_decision_made_after_the_preview_waits_for_the_next_release(
    world, chair, mailoutbox, release, committed
):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)

    result = committed(release_decisions, world.conference, tokens=tokens, by=chair)
    later = release(world, chair)

    assert (result.released, later.released) == ([1], [2])
    assert later.generation == 2
    assert len(mailoutbox) == 4


def test_a_conflicted_chair_previews_and_releases_only_what_they_may_see(
    world, chair, mailoutbox, committed
):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)

    mails, tokens, others = preview_release(world.conference, by=world.conflicted_chair)
    # A forged token for the hidden #1 is ignored, as one for no submission would
    # be: refusing it would name #1 and tell that it has a decision.
    forged = f"{world.submission.pk}:accept_poster:1"
    result = committed(
        release_decisions,
        world.conference,
        tokens=[*tokens, forged],
        by=world.conflicted_chair,
    )

    assert {m.number for m in mails} == {2}
    assert others == 1
    assert result.released == [2]
    assert [m.to for m in mailoutbox] == [["other@elsewhere.example"]]


def test_changing_a_released_decision_needs_confirmation(
    world, chair, mailoutbox, release, committed
):
    decide(world.submission, Outcome.REJECT, by=chair)
    release(world, chair)

    with pytest.raises(NeedsConfirmation):
        decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)

    assert Decision.objects.get().outcome == Outcome.REJECT
    assert len(mailoutbox) == 3


def test_a_confirmed_change_sends_one_correction_per_author(
    world, chair, mailoutbox, release, committed
):
    decide(world.submission, Outcome.REJECT, by=chair)
    release(world, chair)
    mailoutbox.clear()

    committed(
        decide,
        world.submission,
        Outcome.ACCEPT_POSTER,
        by=chair,
        confirm_correction=True,
    )
    # Deciding the same again, or releasing again, sends nothing more.
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair, confirm_correction=True)
    release(world, chair)

    assert sorted(m.to[0] for m in mailoutbox) == AUTHORS_OF_1
    assert all(m.subject.startswith("Correction:") for m in mailoutbox)
    assert all("accepted to HAET 2022 as a poster" in m.body for m in mailoutbox)
    assert all("disregard the previous decision" in m.body for m in mailoutbox)
    log = DecisionLog.objects.last()
    assert log.is_correction
    assert OutboxMail.objects.filter(
        dedupe_key=f"decision-correction:{world.submission.pk}:{LEAK_EMAIL}:{log.pk}"
    ).exists()


def test_recipients_come_from_the_submissions_own_authors(
    world, chair, mailoutbox, release, committed
):
    # Two decisions released together: each submission's mail goes to its own
    # authors only.
    decide(world.submission, Outcome.REJECT, by=chair)
    decide(world.other_submission, Outcome.ACCEPT_ORAL, by=chair)

    release(world, chair)

    to_other = [m for m in mailoutbox if m.to == ["other@elsewhere.example"]]
    assert len(to_other) == 1
    assert "accepted" in to_other[0].subject
    assert all(
        "was not accepted" in m.body
        for m in mailoutbox
        if m.to != ["other@elsewhere.example"]
    )


def test_a_released_decision_cannot_be_cleared(world, chair, release):
    decide(world.submission, Outcome.REJECT, by=chair)
    release(world, chair)

    with pytest.raises(ValidationError):
        clear_decision(world.submission, by=chair)


def test_an_unreleased_decision_can_be_cleared(world, chair, release):
    decide(world.submission, Outcome.REJECT, by=chair)

    clear_decision(world.submission, by=chair)

    assert not Decision.objects.exists()
    assert DecisionLog.objects.last().outcome == ""


def test_desk_reject_mail_carries_the_reason(
    world, chair, mailoutbox, release, committed
):
    decide(
        world.submission,
        Outcome.DESK_REJECT,
        reason="The paper names its authors.",
        by=chair,
    )

    release(world, chair)

    assert all("The paper names its authors." in m.body for m in mailoutbox)
    assert all("without review" in m.body for m in mailoutbox)


def test_edited_templates_are_used_and_unknown_placeholders_refused(
    world, chair, mailoutbox, release
):
    template = mail_templates(world.conference)[Outcome.ACCEPT_POSTER]
    with pytest.raises(ValidationError, match="nonsense"):
        save_mail_template(template, subject="x {{ nonsense }}", body="y", by=chair)
    save_mail_template(
        template,
        subject="Poster: {{ title }}",
        body="Hello {{ author_name }}, #{{ number }} is a poster.",
        by=chair,
    )
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)

    release(world, chair)

    subjects = {m.subject for m in mailoutbox}
    assert subjects == {"Poster: Sparse training of transformers on FPGAs"}
    assert any("Hello Ada Author, #1 is a poster." in m.body for m in mailoutbox)
