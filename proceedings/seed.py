"""Demo camera-ready versions for `manage.py seed_haet2022 --stage over`: about two
thirds of the released acceptances have one (with slides or a poster), ten days
after the release decisions.seed made. Idempotent: existing ones are kept."""

import hashlib
import io
from datetime import timedelta

from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from decisions.models import Decision
from haet.clock import parse_instant
from haet.seed import STAGE_NOW
from proceedings.models import CameraReady, CameraReadyVersion


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


def seed_proceedings(sender, *, conference, stage, rng, accounts, stdout, **_):
    """Receiver of haet.signals.seed_demo, connected after decisions.seed's (the
    same order of random draws as when both were one function)."""
    if stage != "over" or accounts.get("chair") is None:
        return
    released_at = parse_instant(STAGE_NOW["decision"]) + timedelta(days=1)
    _seed_camera_ready(conference, rng, stdout, at=released_at + timedelta(days=10))


def _seed_camera_ready(conference, rng, stdout, *, at) -> None:
    # Made once: a second run would draw again for the acceptances left without one.
    if CameraReady.objects.filter(submission__conference=conference).exists():
        stdout.write("Camera-ready: 0 versions.")
        return
    accepted = (
        Decision.objects.accepted()
        .filter(submission__conference=conference)
        .select_related("submission")
        .prefetch_related("submission__authors")
        .order_by("submission__number")
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
