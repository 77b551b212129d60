"""Receipts: one per (submission, PDF), with its email."""

from datetime import datetime

from django.urls import reverse

from haet.deadlines import to_the_second
from haet.outbox.services import queue_mail
from submissions.models import Receipt, Submission


def send_receipt(submission: Submission, *, at: datetime, is_late: bool) -> None:
    """A receipt per (submission, PDF): resubmitting the same file sends none."""
    version = submission.current_version
    if version is None:  # never: called once a version is in
        return
    if submission.receipts.filter(sha256=version.sha256).exists():
        return
    contact = submission.contact
    Receipt.objects.create(
        submission=submission,
        version=version,
        received_at=at,
        sha256=version.sha256,
        is_late=is_late,
        sent_to=contact.email,
    )
    local, in_utc = to_the_second(at, submission.conference)
    queue_mail(
        to=contact,
        template="submission_receipt",
        context={
            "submission_number": submission.number,
            "title": submission.title,
            "file_name": f"{submission.file_stem}.pdf",
            "received_local": local,
            "received_utc": in_utc,
            "sha256": version.sha256,
            "size": version.size,
            "pages": version.page_count,
            "path": reverse("submissions:detail", args=[submission.number]),
        },
        dedupe_key=f"receipt:{submission.pk}:{version.sha256}",
        submissions=[submission],
    )
