"""Every write about decisions and camera-ready versions goes through here.

Deciding: `decide` / `decide_many` set an outcome (logged). Before release nothing is
mailed and authors see nothing. `release_decisions` sends, per submission, one mail
to each of its authors, under the dedupe key
`decision:<submission pk>:<email>:<release generation>`, and only for what the chair
previewed (a decision changed since the preview refuses the whole release). A
change after release needs `confirm_correction=True` and mails a correction
(`decision-correction:<submission pk>:<email>:<log id>`), never a second decision.
Recipients always come from the submission's own Author rows, read in the same
transaction as the mail rows.

Camera-ready: `save_camera_ready` takes the authors' final details and PDF until the
camera-ready deadline (the submission's extension, if later; the chairs' grace
period flags it late), with the camera-ready PDF checks (authors must be named; the
camera-ready page limit).
"""

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from decisions.models import (
    ACCEPTED,
    CameraReady,
    CameraReadyExtension,
    CameraReadyVersion,
    Decision,
    DecisionLog,
    DecisionMailTemplate,
    DecisionSettings,
    Outcome,
)
from decisions.queries import camera_ready_deadline
from haet import clock
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from haet.templatetags.haet import describe_deadline
from reviews.conflicts import conflicted_submission_ids, is_conflicted
from reviews.models import Review, ReviewForm, ReviewQuestion
from submissions.arxiv import clean_arxiv_url
from submissions.models import Author, Submission, SubmissionSettings
from submissions.pdfcheck import CheckReport, check_pdf
from submissions.services import (
    DeadlinePassed,
    UploadRejected,
    Window,
    identities,
    receipt_time,
)

CHUNK = 64 * 1024


# --- mail templates ----------------------------------------------------------------
PLACEHOLDERS = {
    "author_name": "The recipient's name as listed on the submission",
    "title": "The submission's title",
    "number": "The paper number",
    "conference": "The conference's acronym, e.g. HAET 2022",
    "decision": "The decision in words, e.g. Accept (poster)",
    "reason": "The chairs' reason (desk rejects)",
    "reviews": "The reviewers' comments to the authors, signed Reviewer 1, 2…",
    "camera_ready_deadline": "The camera-ready deadline",
    "url": "The page where the authors read the decision and reviews",
}
PLACEHOLDER_RE = re.compile(r"\{\{\s*(\w+)\s*\}\}")

DEFAULT_TEMPLATES = {
    Outcome.ACCEPT_ORAL: (
        "[{{ conference }}] #{{ number }} accepted as an oral presentation",
        "Dear {{ author_name }},\n\n"
        "We are delighted to tell you that your submission #{{ number }} "
        "“{{ title }}” has been accepted to {{ conference }} as an oral "
        "presentation.\n\n"
        "Please upload the camera-ready version by {{ camera_ready_deadline }}:\n"
        "{{ url }}\n\n"
        "The reviewers' comments follow.\n\n{{ reviews }}\n\n"
        "Congratulations, and see you at the workshop!\nThe {{ conference }} chairs",
    ),
    Outcome.ACCEPT_POSTER: (
        "[{{ conference }}] #{{ number }} accepted as a poster",
        "Dear {{ author_name }},\n\n"
        "We are happy to tell you that your submission #{{ number }} "
        "“{{ title }}” has been accepted to {{ conference }} as a poster.\n\n"
        "Please upload the camera-ready version by {{ camera_ready_deadline }}:\n"
        "{{ url }}\n\n"
        "The reviewers' comments follow.\n\n{{ reviews }}\n\n"
        "Congratulations, and see you at the workshop!\nThe {{ conference }} chairs",
    ),
    Outcome.REJECT: (
        "[{{ conference }}] Decision on #{{ number }}",
        "Dear {{ author_name }},\n\n"
        "We regret to tell you that your submission #{{ number }} “{{ title }}” "
        "was not accepted to {{ conference }}. We received many good submissions "
        "and could accept only a few.\n\n"
        "The reviewers' comments follow; we hope they help.\n\n{{ reviews }}\n\n"
        "Thank you for submitting to {{ conference }}.\nThe {{ conference }} chairs",
    ),
    Outcome.DESK_REJECT: (
        "[{{ conference }}] Decision on #{{ number }}",
        "Dear {{ author_name }},\n\n"
        "We regret to tell you that your submission #{{ number }} “{{ title }}” "
        "was rejected without review:\n\n{{ reason }}\n\n"
        "Thank you for your interest in {{ conference }}.\n"
        "The {{ conference }} chairs",
    ),
}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace known {{ placeholders }}; anything else is left as written."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), text)


def unknown_placeholders(text: str) -> list[str]:
    return sorted({m for m in PLACEHOLDER_RE.findall(text) if m not in PLACEHOLDERS})


def mail_templates(conference: Conference) -> dict[str, DecisionMailTemplate]:
    """The conference's template per outcome, created with the defaults if missing."""
    found = {t.outcome: t for t in conference.decision_mail_templates.all()}
    for outcome, (subject, body) in DEFAULT_TEMPLATES.items():
        if outcome not in found:
            found[outcome], _ = DecisionMailTemplate.objects.get_or_create(
                conference=conference,
                outcome=outcome,
                defaults={"subject": subject, "body": body},
            )
    return found


@transaction.atomic
def save_mail_template(
    template: DecisionMailTemplate, *, subject: str, body: str, by: User
) -> DecisionMailTemplate:
    """A chair rewrites the mail of one outcome; unknown placeholders are refused."""
    unknown = unknown_placeholders(subject + body)
    if unknown:
        raise ValidationError(
            "Unknown placeholders: "
            + ", ".join("{{ %s }}" % name for name in unknown)  # noqa: UP031
            + "."
        )
    template.subject = " ".join(subject.split())
    template.body = body.replace("\r\n", "\n").strip() + "\n"
    template.updated_by = by
    template.full_clean()
    template.save()
    return template


# --- deciding ----------------------------------------------------------------------
def _ensure_can_decide(submission: Submission, by: User) -> None:
    if not by.has_perm("decisions.decide", submission):
        raise PermissionDenied("Only a chair without a conflict can decide this.")
    if submission.state == Submission.State.WITHDRAWN:
        raise ValidationError(
            f"#{submission.number} was withdrawn by its authors.", code="withdrawn"
        )
    if submission.state != Submission.State.SUBMITTED:
        raise ValidationError(f"#{submission.number} was never submitted.")


def _clean_reason(outcome: str, reason: str) -> str:
    reason = reason.strip()
    if outcome == Outcome.DESK_REJECT and not reason:
        raise ValidationError("A desk reject needs its reason.", code="reason")
    return reason


class NeedsConfirmation(ValidationError):
    """The decision was released: changing it mails a correction, so confirm."""


def decide(
    submission: Submission,
    outcome: str,
    *,
    reason: str = "",
    by: User,
    confirm_correction: bool = False,
    at: datetime | None = None,
) -> Decision:
    """Set (or change) the decision of one submission. See `decide_many`."""
    [decision] = decide_many(
        [submission],
        outcome,
        reason=reason,
        by=by,
        confirm_correction=confirm_correction,
        at=at,
    )
    return decision


@transaction.atomic
def decide_many(
    submissions: Iterable[Submission],
    outcome: str,
    *,
    reason: str = "",
    by: User,
    confirm_correction: bool = False,
    at: datetime | None = None,
) -> list[Decision]:
    """Set one outcome on every submission, or on none (any refusal raises).

    Unchanged decisions are left alone. A released decision changes only with
    `confirm_correction` (else NeedsConfirmation). Side effects: a DecisionLog per
    change; for a released decision, one correction mail per author, after commit.
    """
    at = at or clock.now()
    outcome = Outcome(outcome)
    reason = _clean_reason(outcome, reason)
    if outcome != Outcome.DESK_REJECT:
        reason = ""
    submissions = list(submissions)
    locked = {
        s.pk: s
        for s in Submission.objects.select_for_update()
        .filter(pk__in=[s.pk for s in submissions])
        .prefetch_related("authors")
    }
    existing = {
        d.submission_id: d
        for d in Decision.objects.select_for_update().filter(submission_id__in=locked)
    }
    released = []
    for submission in locked.values():
        submission.decision = existing.get(submission.pk)  # for the predicates
        _ensure_can_decide(submission, by)
        current = existing.get(submission.pk)
        if current is None or (current.outcome, current.reason) == (outcome, reason):
            continue
        if current.released_at is not None:
            released.append(submission.number)
    if released and not confirm_correction:
        numbers = ", ".join(f"#{n}" for n in sorted(released))
        raise NeedsConfirmation(
            f"The decision on {numbers} was already sent to the authors. Changing "
            "it sends them a correction: confirm to go ahead.",
            code="confirm",
        )
    results = []
    for submission in sorted(locked.values(), key=lambda s: s.number):
        current = existing.get(submission.pk)
        if current is not None and (current.outcome, current.reason) == (
            outcome,
            reason,
        ):
            results.append(current)
            continue
        previous = current.outcome if current else ""
        is_correction = current is not None and current.released_at is not None
        log = DecisionLog.objects.create(
            submission=submission,
            outcome=outcome,
            previous_outcome=previous,
            reason=reason,
            by=by,
            at=at,
            is_correction=is_correction,
        )
        if current is None:
            current = Decision(submission=submission)
        current.outcome = outcome
        current.reason = reason
        current.set_by = by
        current.set_at = at
        current.full_clean(exclude=["submission"])
        current.save()
        if is_correction:
            _send_correction(submission, current, log=log)
        results.append(current)
    return results


@transaction.atomic
def clear_decision(submission: Submission, *, by: User) -> None:
    """Back to undecided; only before release (after it, decide something else)."""
    decision = (
        Decision.objects.select_for_update().filter(submission=submission).first()
    )
    submission.decision = decision
    _ensure_can_decide(submission, by)
    if decision is None:
        return
    if decision.released_at is not None:
        raise ValidationError(
            "This decision was sent to the authors; it can be changed (with a "
            "correction) but not withdrawn."
        )
    DecisionLog.objects.create(
        submission=submission,
        outcome="",
        previous_outcome=decision.outcome,
        by=by,
        at=clock.now(),
    )
    decision.delete()


# --- notification ------------------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    user: User | None

    @property
    def to(self):
        return self.user or self.email


def recipients_of(submission: Submission) -> list[Recipient]:
    """Every author of the submission (and its contact), once each by email, read
    from its own rows now: never from any list built elsewhere."""
    found: dict[str, Recipient] = {}
    for author in (
        Author.objects.filter(submission_id=submission.pk)
        .select_related("user")
        .order_by("order", "pk")
    ):
        email = author.email.strip().lower()
        found.setdefault(email, Recipient(author.name, email, author.user))
    contact = User.objects.get(pk=submission.contact_id)
    email = contact.email.strip().lower()
    found.setdefault(email, Recipient(contact.display_name, email, contact))
    return list(found.values())


@dataclass(frozen=True)
class AuthorReview:
    """One review as the authors see it: only questions visible to authors."""

    pseudonym: str
    answers: list[tuple[str, str]]  # (question label, answer text)


def _answer_text(question: ReviewQuestion, value) -> str:
    if value in (None, "", []):
        return ""
    if question.kind in (
        ReviewQuestion.Kind.SCORE,
        ReviewQuestion.Kind.CONFIDENCE,
        ReviewQuestion.Kind.CHOICE,
    ):
        labels = {str(k): v for k, v in question.choices}
        return str(labels.get(str(value), value))
    return str(value).strip()


def author_reviews(submission: Submission) -> list[AuthorReview]:
    """Submitted reviews in pseudonym order, signed "Reviewer N", with the answers
    to questions visible to authors (two queries)."""
    questions = [
        q
        for q in ReviewForm.objects.for_conference(submission.conference)
        .questions.filter(is_active=True)
        .order_by("order", "pk")
        if q.visibility == ReviewQuestion.Visibility.AUTHORS
        and q.kind != ReviewQuestion.Kind.NOMINATIONS
    ]
    reviews = (
        Review.objects.submitted()
        .filter(assignment__submission_id=submission.pk)
        .select_related("assignment")
        .order_by("assignment__pseudonym_index")
    )
    result = []
    for review in reviews:
        answers = []
        for question in questions:
            if question.kind == ReviewQuestion.Kind.SCORE:
                value = review.answers.get(question.key, review.score)
            elif question.kind == ReviewQuestion.Kind.CONFIDENCE:
                value = review.answers.get(question.key, review.confidence)
            else:
                value = review.answers.get(question.key)
            text = _answer_text(question, value)
            if text:
                answers.append((question.label, text))
        result.append(AuthorReview(review.assignment.pseudonym, answers))
    return result


def reviews_text(reviews: list[AuthorReview]) -> str:
    if not reviews:
        return "(No reviews.)"
    parts = []
    for review in reviews:
        lines = [f"--- {review.pseudonym} ---"]
        for label, text in review.answers:
            if "\n" in text or len(text) > 60:
                lines.append(f"{label}:\n{text}")
            else:
                lines.append(f"{label}: {text}")
        parts.append("\n\n".join(lines))
    return "\n\n".join(parts)


@dataclass
class DecisionMail:
    """One decision mail, rendered: what the preview shows and the outbox sends."""

    submission_pk: int
    number: int
    outcome: str
    recipient: Recipient
    subject: str
    body: str
    dedupe_key: str = ""


def render_decision_mails(
    submission: Submission,
    decision: Decision,
    *,
    templates: dict[str, DecisionMailTemplate],
    conference: Conference,
) -> list[DecisionMail]:
    """The decision mail for each recipient (no writes)."""
    from django.conf import settings

    template = templates[decision.outcome]
    deadline = camera_ready_deadline(conference)
    values = {
        "title": submission.title,
        "number": str(submission.number),
        "conference": conference.acronym,
        "decision": decision.get_outcome_display(),
        "reason": decision.reason,
        "reviews": reviews_text(author_reviews(submission)),
        "camera_ready_deadline": describe_deadline(deadline, conference)
        if deadline
        else "the camera-ready deadline",
        "url": settings.SITE_URL
        + reverse("decisions:author-view", args=[submission.number]),
    }
    mails = []
    for recipient in recipients_of(submission):
        personal = {**values, "author_name": recipient.name or recipient.email}
        mails.append(
            DecisionMail(
                submission_pk=submission.pk,
                number=submission.number,
                outcome=decision.outcome,
                recipient=recipient,
                subject=" ".join(fill(template.subject, personal).split())[:300],
                body=fill(template.body, personal),
            )
        )
    return mails


def release_token(decision: Decision, last_log_id: int) -> str:
    """What the preview showed for one submission: a later change alters it."""
    return f"{decision.submission_id}:{decision.outcome}:{last_log_id}"


def _last_log_ids(submission_ids: Iterable[int]) -> dict[int, int]:
    from django.db.models import Max

    return dict(
        DecisionLog.objects.filter(submission_id__in=list(submission_ids))
        .values("submission_id")
        .annotate(last=Max("pk"))
        .order_by()
        .values_list("submission_id", "last")
    )


def releasable(conference: Conference, *, by: User) -> tuple[list[Decision], int]:
    """Unreleased decisions the chair may release (not conflicted, not withdrawn),
    and how many others wait for another chair."""
    hidden = conflicted_submission_ids(by)
    pending = list(
        Decision.objects.unreleased()
        .filter(
            submission__conference=conference,
            submission__state=Submission.State.SUBMITTED,
        )
        .select_related("submission")
        .order_by("submission__number")
    )
    mine = [d for d in pending if d.submission_id not in hidden]
    return mine, len(pending) - len(mine)


def preview_release(conference: Conference, *, by: User):
    """(mails, tokens, others): every mail a release would send now, the tokens
    to post back with "Send all", and the count left to non-conflicted chairs."""
    decisions, others = releasable(conference, by=by)
    templates = mail_templates(conference)
    last_logs = _last_log_ids(d.submission_id for d in decisions)
    mails, tokens = [], []
    for decision in decisions:
        submission = decision.submission
        submission.conference = conference
        mails.extend(
            render_decision_mails(
                submission, decision, templates=templates, conference=conference
            )
        )
        tokens.append(release_token(decision, last_logs.get(submission.pk, 0)))
    return mails, tokens, others


class ReleaseChanged(ValidationError):
    """Decisions changed since the preview: nothing was sent."""

    submission_ids: list[int]  # the changed ones


@dataclass
class ReleaseResult:
    released: list[int] = field(default_factory=list)  # submission numbers
    mail_count: int = 0
    generation: int = 0


@transaction.atomic
def release_decisions(
    conference: Conference,
    *,
    tokens: Iterable[str],
    by: User,
    notify: bool = True,
    at: datetime | None = None,
) -> ReleaseResult:
    """Release exactly the previewed decisions (`tokens` from `preview_release`).

    Serialised on the conference's DecisionSettings row: a double click or a retry
    finds them released and sends nothing. If any previewed decision changed (or a
    new one must be previewed), raises ReleaseChanged and sends nothing. Side
    effects: released_at on each decision; one mail per author per submission,
    delivered after commit (none with notify=False: demo data).
    """
    at = at or clock.now()
    if not by.has_perm("decisions.manage"):
        raise PermissionDenied
    settings = DecisionSettings.objects.for_conference(conference)
    settings = DecisionSettings.objects.select_for_update().get(pk=settings.pk)
    # A token for a submission the chair is conflicted with is ignored, like one
    # for a submission that does not exist: a refusal naming it would tell the
    # chair its number and that it has a decision (issue 12).
    hidden = conflicted_submission_ids(by)
    wanted: dict[int, str] = {}
    for token in tokens:
        pk, _, _ = token.partition(":")
        if pk.isdigit() and int(pk) not in hidden:
            wanted[int(pk)] = token
    decisions = list(
        Decision.objects.select_for_update()
        .filter(submission_id__in=wanted, submission__conference=conference)
        .select_related("submission")
        .order_by("submission__number")
    )
    pending = [d for d in decisions if d.released_at is None]
    if not pending:
        return ReleaseResult(generation=settings.release_count)
    last_logs = _last_log_ids(d.submission_id for d in pending)
    changed = [
        d
        for d in pending
        if release_token(d, last_logs.get(d.submission_id, 0))
        != wanted[d.submission_id]
        or d.submission.state != Submission.State.SUBMITTED
    ]
    if changed:
        error = ReleaseChanged(
            "Decisions changed since your preview ("
            + ", ".join(f"#{d.submission.number}" for d in changed)
            + "). Nothing was sent: preview again.",
            code="changed",
        )
        # The scheduled release tells every chair, each about what they may see.
        error.submission_ids = [d.submission_id for d in changed]
        raise error
    settings.release_count += 1
    settings.first_released_at = settings.first_released_at or at
    settings.save(update_fields=["release_count", "first_released_at", "updated_at"])
    templates = mail_templates(conference)
    result = ReleaseResult(generation=settings.release_count)
    for decision in pending:
        submission = decision.submission
        submission.conference = conference
        decision.released_at = at
        decision.released_by = by
        decision.release_generation = settings.release_count
        decision.save(
            update_fields=[
                "released_at",
                "released_by",
                "release_generation",
                "updated_at",
            ]
        )
        result.released.append(submission.number)
        if not notify:
            continue
        for mail in render_decision_mails(
            submission, decision, templates=templates, conference=conference
        ):
            key = (
                f"decision:{submission.pk}:{mail.recipient.email}:"
                f"{decision.release_generation}"
            )
            queued = queue_mail(
                to=mail.recipient.to,
                template="decision_notification",
                context={"subject": mail.subject, "body": mail.body},
                dedupe_key=key,
                submissions=[submission],
            )
            result.mail_count += queued is not None
    return result


def _send_correction(
    submission: Submission, decision: Decision, *, log: DecisionLog
) -> int:
    conference = Conference.objects.get(pk=submission.conference_id)
    submission.conference = conference
    templates = mail_templates(conference)
    sent = 0
    for mail in render_decision_mails(
        submission, decision, templates=templates, conference=conference
    ):
        queued = queue_mail(
            to=mail.recipient.to,
            template="decision_correction",
            context={
                "subject": f"Correction: {mail.subject}",
                "body": mail.body,
                "number": submission.number,
                "title": submission.title,
                "author_name": mail.recipient.name or mail.recipient.email,
            },
            dedupe_key=f"decision-correction:{submission.pk}:{mail.recipient.email}:"
            f"{log.pk}",
            submissions=[submission],
        )
        sent += queued is not None
    return sent


# --- camera-ready ------------------------------------------------------------------
def camera_ready_page_limit(conference: Conference) -> int:
    return conference.camera_ready_page_limit or conference.page_limit


def camera_ready_window(
    submission: Submission,
    *,
    conference: Conference,
    settings: SubmissionSettings | None = None,
) -> Window:
    """The camera-ready deadline of one submission: the conference's, or its
    latest extension if later; the chairs' grace period as for submissions."""
    settings = settings or SubmissionSettings.objects.for_conference(conference)
    deadline = camera_ready_deadline(conference)
    extensions = list(submission.camera_ready_extensions.all())
    if extensions:
        latest = max(extensions, key=lambda e: (e.granted_at, e.pk)).until
        deadline = latest if deadline is None else max(deadline, latest)
    return Window(closes_at=deadline, grace=settings.grace)


def ensure_camera_ready_open(
    submission: Submission, *, conference: Conference, at: datetime
) -> bool:
    window = camera_ready_window(submission, conference=conference)
    if not window.is_open(at):
        raise DeadlinePassed(
            "The camera-ready deadline has passed: changes were accepted until "
            f"{describe_deadline(window.closes_at, conference)}. Nothing was changed.",
            code="deadline_passed",
        )
    return window.is_late(at)


@dataclass
class CameraReadyData:
    title: str
    authors: list[dict]  # name, email, affiliation
    include_in_proceedings: bool = False
    copyright_accepted: bool = False
    arxiv_url: str = ""


def camera_ready_data(submission: Submission) -> CameraReadyData:
    """What the form starts from: the saved camera-ready, else the submission."""
    try:
        camera = submission.camera_ready
    except CameraReady.DoesNotExist:
        camera = None
    if camera is not None:
        return CameraReadyData(
            title=camera.title,
            authors=list(camera.authors),
            include_in_proceedings=camera.include_in_proceedings,
            copyright_accepted=camera.copyright_accepted_at is not None,
            arxiv_url=camera.arxiv_url,
        )
    return CameraReadyData(
        title=submission.title,
        authors=[
            {"name": a.name, "email": a.email, "affiliation": a.affiliation}
            for a in sorted(submission.authors.all(), key=lambda a: (a.order, a.pk))
        ],
        include_in_proceedings=submission.include_in_proceedings,
        arxiv_url=submission.arxiv_url,
    )


def _spool(upload: UploadedFile, *, max_bytes: int) -> tuple[Path, str, int] | None:
    """Copy the upload to a temporary file, hashing it; None if too large."""
    if upload.size is not None and upload.size > max_bytes:
        return None
    digest, size = hashlib.sha256(), 0
    handle, name = tempfile.mkstemp(prefix="haet-camera-", suffix=".pdf")
    with os.fdopen(handle, "wb") as out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                break
            digest.update(chunk)
            out.write(chunk)
    if size > max_bytes:
        os.unlink(name)
        return None
    return Path(name), digest.hexdigest(), size


def check_camera_ready(
    path: Path, *, authors: list[dict], conference: Conference, settings
) -> CheckReport:
    """The camera-ready checks: the authors must be named (a warning when no name
    is on page 1) and the camera-ready page limit applies."""
    return check_pdf(
        str(path),
        authors=identities(authors),
        page_limit=camera_ready_page_limit(conference),
        max_bytes=settings.max_bytes,
        max_pages=settings.max_pages,
        mode="camera_ready",
    )


def _clean_data(data: CameraReadyData) -> CameraReadyData:
    problems = []
    title = " ".join(data.title.split())
    authors = []
    seen = set()
    for author in data.authors:
        name = (author.get("name") or "").strip()
        email = (author.get("email") or "").strip().lower()
        if not name:
            continue
        if email and email in seen:
            problems.append(f"{email} is listed twice.")
        seen.add(email)
        authors.append(
            {
                "name": name,
                "email": email,
                "affiliation": (author.get("affiliation") or "").strip(),
            }
        )
    if not title:
        problems.append("Give the final title.")
    if not authors:
        problems.append("List at least one author.")
    if data.include_in_proceedings and not data.copyright_accepted:
        problems.append(
            "To be included in the proceedings, accept the licence to publish "
            "(copyright stays with you)."
        )
    try:  # only arXiv's own identifiers: the link goes into proceedings.bib
        arxiv = clean_arxiv_url(data.arxiv_url)
    except ValidationError as error:
        arxiv = ""
        problems.extend(error.messages)
    if problems:
        raise ValidationError(problems, code="invalid")
    return CameraReadyData(
        title=title,
        authors=authors,
        include_in_proceedings=data.include_in_proceedings,
        copyright_accepted=data.copyright_accepted,
        arxiv_url=arxiv,
    )


def save_camera_ready(
    submission: Submission,
    data: CameraReadyData,
    *,
    by: User,
    pdf: UploadedFile | None = None,
    at: datetime | None = None,
) -> CameraReady:
    """Save the final details and, optionally, a new camera-ready PDF.

    Order: permission, deadline, details, PDF checks; any refusal raises
    (PermissionDenied, DeadlinePassed, ValidationError, UploadRejected) and changes
    nothing. Complete (`submitted_at`) once a PDF is in. Side effects: a new
    CameraReadyVersion per accepted PDF; a receipt mail to each author per PDF
    (`camera-ready-receipt:<submission pk>:<sha256>:<email>`, so saving the same
    file again mails nothing).
    """
    at = at or clock.now()
    conference = Conference.objects.get(pk=submission.conference_id)
    submission.conference = conference
    if not by.has_perm("decisions.edit_camera_ready", submission):
        raise PermissionDenied
    is_late = ensure_camera_ready_open(submission, conference=conference, at=at)
    data = _clean_data(data)
    settings = SubmissionSettings.objects.for_conference(conference)
    spooled = report = None
    try:
        if pdf is not None:
            spooled = _spool(pdf, max_bytes=settings.max_bytes)
            if spooled is None:
                mb = settings.max_bytes / (1024 * 1024)
                raise UploadRejected(
                    CheckReport.failed(
                        "too_large", f"The PDF is larger than the limit of {mb:g} MB."
                    )
                )
            report = check_camera_ready(
                spooled[0],
                authors=data.authors,
                conference=conference,
                settings=settings,
            )
            if not report.ok or report.errors:
                raise UploadRejected(report)
        with transaction.atomic():
            return _write_camera_ready(
                submission,
                data,
                by=by,
                at=at,
                is_late=is_late,
                spooled=spooled,
                report=report,
                filename=os.path.basename(pdf.name or "camera-ready.pdf")[:255]
                if pdf is not None
                else "",
            )
    finally:
        if spooled is not None:
            with contextlib.suppress(FileNotFoundError):
                spooled[0].unlink()


def _write_camera_ready(
    submission, data, *, by, at, is_late, spooled, report, filename
) -> CameraReady:
    Submission.objects.select_for_update().filter(pk=submission.pk).first()
    camera, _ = CameraReady.objects.get_or_create(
        submission=submission, defaults={"title": data.title}
    )
    camera.title = data.title
    camera.authors = data.authors
    camera.include_in_proceedings = data.include_in_proceedings
    if data.copyright_accepted:
        camera.copyright_accepted_at = camera.copyright_accepted_at or at
    else:
        camera.copyright_accepted_at = None
    camera.arxiv_url = data.arxiv_url
    camera.confirmed_by = by
    if spooled is not None:
        path, sha256, size = spooled
        version = CameraReadyVersion(
            camera_ready=camera,
            original_filename=filename,
            sha256=sha256,
            size=size,
            page_count=report.pages,
            main_body_pages=report.main_body_pages,
            check_report=report.to_dict(),
            is_late=is_late,
            uploaded_by=by,
            uploaded_at=at,
        )
        with open(path, "rb") as f:
            version.file.save("camera-ready.pdf", File(f), save=False)
        version.save()
        camera.current_version = version
    camera.is_late = camera.is_late or (is_late and spooled is not None)
    if camera.current_version_id and camera.submitted_at is None:
        camera.submitted_at = at
    camera.save()
    if camera.current_version is not None:
        _send_camera_ready_receipt(submission, camera)
    return camera


def _send_camera_ready_receipt(submission: Submission, camera: CameraReady) -> None:
    """One receipt per (submission, PDF, author): saving again with the same file
    mails nothing new; a different file mails everyone once more."""
    version = camera.current_version
    local, in_utc = receipt_time(version.uploaded_at, submission.conference)
    for recipient in recipients_of(submission):
        queue_mail(
            to=recipient.to,
            template="camera_ready_receipt",
            context={
                "recipient_name": recipient.name or recipient.email,
                "submission_number": submission.number,
                "title": camera.title,
                "received_local": local,
                "received_utc": in_utc,
                "sha256": version.sha256,
                "size": version.size,
                "pages": version.page_count,
                "is_late": version.is_late,
                "path": reverse("decisions:camera-ready", args=[submission.number]),
            },
            dedupe_key=f"camera-ready-receipt:{submission.pk}:{version.sha256}:"
            f"{recipient.email}",
            submissions=[submission],
        )


PRESENTATION_KINDS = ("slides", "poster")


@transaction.atomic
def upload_presentation(
    submission: Submission,
    kind: str,
    upload: UploadedFile,
    *,
    by: User,
) -> CameraReady:
    """Slides or poster (one PDF each; a new upload replaces the old), any time
    after acceptance: they are often ready only just before the workshop."""
    if kind not in PRESENTATION_KINDS:
        raise ValidationError(f"Unknown kind {kind!r}.")
    if not by.has_perm("decisions.edit_camera_ready", submission):
        raise PermissionDenied
    settings = SubmissionSettings.objects.for_conference(submission.conference)
    spooled = _spool(upload, max_bytes=settings.supplementary_max_bytes)
    if spooled is None:
        mb = settings.supplementary_max_bytes / (1024 * 1024)
        raise ValidationError(f"The file is larger than the limit of {mb:g} MB.")
    path = spooled[0]
    try:
        with open(path, "rb") as f:
            if not f.read(5).startswith(b"%PDF-"):
                raise ValidationError(f"The {kind} must be a PDF file.")
        camera, _ = CameraReady.objects.get_or_create(
            submission=submission,
            defaults={
                "title": submission.title,
                "authors": camera_ready_data(submission).authors,
            },
        )
        with open(path, "rb") as f:
            getattr(camera, kind).save(f"{kind}.pdf", File(f), save=False)
        camera.save()
        return camera
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def grant_camera_ready_extension(
    submission: Submission, *, until: datetime, reason: str = "", by: User
) -> CameraReadyExtension:
    """Let one submission's camera-ready change until `until` (exclusive)."""
    if not by.has_perm("decisions.decide", submission):
        raise PermissionDenied
    return CameraReadyExtension.objects.create(
        submission=submission,
        until=until,
        reason=reason.strip(),
        granted_by=by,
        granted_at=clock.now(),
    )


def missing_camera_ready(conference: Conference) -> list[Submission]:
    """Released acceptances without a complete camera-ready, with their authors
    and extensions prefetched."""
    return list(
        Submission.objects.filter(
            conference=conference,
            state=Submission.State.SUBMITTED,
            decision__outcome__in=ACCEPTED,
            decision__released_at__isnull=False,
        )
        .exclude(camera_ready__submitted_at__isnull=False)
        .select_related("contact")
        .prefetch_related("authors__user", "camera_ready_extensions")
        .order_by("number")
    )


@transaction.atomic
def remind_missing_camera_ready(conference: Conference, *, by: User) -> int:
    """The chairs' button: one reminder per author of each acceptance still missing
    its camera-ready, at most once a day per author (dedupe key with the date).
    Submissions the chair is conflicted with are left to another chair."""
    today = clock.now().date().isoformat()
    sent = 0
    for submission in missing_camera_ready(conference):
        if is_conflicted(by, submission):
            continue
        submission.conference = conference
        window = camera_ready_window(submission, conference=conference)
        deadline_text = (
            describe_deadline(window.closes_at, conference) if window.closes_at else ""
        )
        for recipient in recipients_of(submission):
            queued = queue_mail(
                to=recipient.to,
                template="camera_ready_reminder",
                context={
                    "recipient_name": recipient.name or recipient.email,
                    "submissions": [submission],
                    "deadline_text": deadline_text,
                },
                dedupe_key=f"camera-ready-reminder:{submission.pk}:{recipient.email}:"
                f"{today}",
                submissions=[submission],
            )
            sent += queued is not None
    return sent


def export_filename(conference: Conference, suffix: str) -> str:
    return f"{slugify(conference.acronym)}-{suffix}"
