"""Demo decisions for `manage.py seed_haet2022 --stage decision|over`.

decision: every submitted submission gets a decision (by its mean score when
reviews exist, else at random), not yet released. over: the decisions are released
(without mails: demo data) and about two thirds of the acceptances have a
camera-ready version. Idempotent: existing decisions and camera-readies are kept.
"""

import hashlib
import io
from datetime import timedelta

from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from decisions import scheduling
from decisions.models import (
    CameraReady,
    CameraReadyVersion,
    Decision,
    DecisionLog,
    DecisionSettings,
    Outcome,
    ScheduledRelease,
)
from haet.clock import parse_instant
from haet.seed import STAGE_NOW
from reviews.models import Review
from submissions.models import Submission


def camera_ready_pdf(title: str, authors: list[dict]) -> bytes:
    """A 5-page paper naming its authors under the title."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, invariant=True)
    canvas.setTitle(title)
    for page in range(1, 6):
        y = 720
        if page == 1:
            canvas.setFont("Times-Bold", 14)
            canvas.drawString(72, y, title[:80])
            canvas.setFont("Times-Roman", 10)
            y -= 20
            for author in authors:
                line = author["name"]
                if author.get("affiliation"):
                    line += f", {author['affiliation']}"
                canvas.drawString(72, y, line)
                y -= 14
            y -= 30
        canvas.setFont("Times-Roman", 10)
        if page == 5:
            canvas.drawString(72, y, "References")
            y -= 16
            canvas.drawString(72, y, "Lovelace, A. Notes on the engine. 1843.")
        else:
            while y > 80:
                canvas.drawString(72, y, "We train networks with less energy.")
                y -= 12
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _outcome(mean: float | None, rng) -> str:
    if mean is None:
        mean = rng.uniform(-2.5, 2.5)
    if mean >= 1.5:
        return Outcome.ACCEPT_ORAL
    if mean >= 0:
        return Outcome.ACCEPT_POSTER
    if mean < -2.5:
        return Outcome.DESK_REJECT
    return Outcome.REJECT


def seed_decisions(sender, *, conference, stage, rng, accounts, stdout, **_):
    """Receiver of haet.signals.seed_demo."""
    if stage not in ("decision", "over"):
        return
    chair = accounts.get("chair")
    if chair is None:
        return
    now = parse_instant(STAGE_NOW[stage])
    submissions = list(
        Submission.objects.filter(
            conference=conference, state=Submission.State.SUBMITTED
        )
        .prefetch_related("authors")
        .order_by("number")
    )
    scores: dict[int, list[int]] = {}
    for sub_id, score in Review.objects.submitted().values_list(
        "assignment__submission_id", "score"
    ):
        if score is not None:
            scores.setdefault(sub_id, []).append(score)
    decided_at = now - timedelta(days=1)
    author = accounts.get("author")
    created = 0
    for submission in submissions:
        if Decision.objects.filter(submission=submission).exists():
            continue
        values = scores.get(submission.pk)
        outcome = _outcome(sum(values) / len(values) if values else None, rng)
        if author is not None and submission.contact_id == author.pk:
            outcome = Outcome.ACCEPT_POSTER  # the demo author has something to do
        reason = (
            "The submission exceeds the page limit and is not anonymous."
            if outcome == Outcome.DESK_REJECT
            else ""
        )
        Decision.objects.create(
            submission=submission,
            outcome=outcome,
            reason=reason,
            set_by=chair,
            set_at=decided_at,
        )
        DecisionLog.objects.create(
            submission=submission,
            outcome=outcome,
            reason=reason,
            by=chair,
            at=decided_at,
        )
        created += 1
    stdout.write(f"Decisions: {created} set.")
    if stage == "decision":
        _seed_scheduled_release(conference, chair, stdout, at=now)
    if stage != "over":
        return
    settings = DecisionSettings.objects.for_conference(conference)
    released_at = parse_instant(STAGE_NOW["decision"]) + timedelta(days=1)
    pending = Decision.objects.unreleased().filter(submission__conference=conference)
    released_count = pending.count()
    if released_count:
        settings.release_count += 1
        settings.first_released_at = settings.first_released_at or released_at
        settings.save()
        pending.update(
            released_at=released_at,
            released_by=chair,
            release_generation=settings.release_count,
        )
    # A release scheduled at the decision stage is the one that happened.
    ScheduledRelease.objects.filter(
        conference=conference, status=ScheduledRelease.Status.SCHEDULED
    ).update(
        status=ScheduledRelease.Status.RELEASED,
        started_at=released_at,
        released_count=released_count,
    )
    _seed_camera_ready(conference, rng, stdout, at=released_at + timedelta(days=10))


def _seed_scheduled_release(conference, chair, stdout, *, at) -> None:
    """The chair previewed the release and scheduled it for the notification day
    at 17:00 (the default): the dashboard counts down to it."""
    release_at = scheduling.default_release_at(conference)
    if (
        release_at is None
        or release_at <= at
        or scheduling.waiting_release(conference) is not None
    ):
        return
    tokens = sorted(scheduling.release_tokens(conference, by=chair))
    if not tokens:
        return
    scheduling.schedule_release(
        conference, tokens=tokens, release_at=release_at, by=chair, at=at
    )
    stdout.write(
        "Release of decisions scheduled for "
        f"{scheduling.describe_moment(release_at, conference)}."
    )


def _seed_camera_ready(conference, rng, stdout, *, at) -> None:
    accepted = (
        Decision.objects.accepted()
        .filter(submission__conference=conference)
        .select_related("submission")
        .prefetch_related("submission__authors")
    )
    made = 0
    for decision in accepted:
        submission = decision.submission
        if CameraReady.objects.filter(submission=submission).exists():
            continue
        if rng.random() > 0.67:
            continue
        authors = [
            {"name": a.name, "email": a.email, "affiliation": a.affiliation}
            for a in submission.authors.all()
        ]
        include = rng.random() < 0.7
        camera = CameraReady.objects.create(
            submission=submission,
            title=submission.title,
            authors=authors,
            include_in_proceedings=include,
            copyright_accepted_at=at if include else None,
            confirmed_by=submission.contact,
            submitted_at=at,
        )
        pdf = camera_ready_pdf(submission.title, authors)
        version = CameraReadyVersion(
            camera_ready=camera,
            original_filename="camera-ready.pdf",
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            page_count=5,
            main_body_pages=4,
            check_report={"ok": True, "pages": 5, "errors": [], "warnings": []},
            uploaded_by=submission.contact,
            uploaded_at=at,
        )
        version.file.save("camera-ready.pdf", ContentFile(pdf), save=False)
        version.save()
        camera.current_version = version
        # What the presenters shared after the workshop: slides of the orals,
        # posters of the posters (the home page lists them at stage "over").
        kind = "slides" if decision.is_oral else "poster"
        getattr(camera, kind).save(f"{kind}.pdf", ContentFile(pdf), save=False)
        camera.save(update_fields=["current_version", kind, "updated_at"])
        made += 1
    stdout.write(f"Camera-ready: {made} versions.")
