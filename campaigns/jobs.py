"""The campaigns' background job: queueing the mails of a large campaign."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.sending import MANAGE, QUEUE_JOB, queue_in_background
from haet.jobs.models import Job
from haet.jobs.services import Progress, register_job_kind


def _queue(job: Job, progress: Progress) -> dict:
    by = job.created_by
    if by is None or not by.has_perm(MANAGE):
        raise ValidationError("The person who started this job is no longer a chair.")
    campaign = Campaign.objects.select_related("conference").get(
        pk=job.params["campaign"]
    )
    progress(2, "Finding the recipients")
    queued = queue_in_background(campaign, by=by, progress=progress)
    return {
        "summary": [f"{queued} mail{'' if queued == 1 else 's'} queued in the outbox."],
        "link": {
            "url": reverse("campaigns:detail", args=[campaign.pk]),
            "label": "Delivery report",
        },
    }


def _back(job: Job) -> tuple[str, str]:
    return reverse("campaigns:detail", args=[job.params["campaign"]]), "Campaign"


def register() -> None:
    register_job_kind(
        QUEUE_JOB,
        run=_queue,
        title="Queueing a campaign's mails",
        permission=MANAGE,
        # Every mail has its dedupe key: running it again queues only what is missing.
        retry_safe=True,
        back=_back,
    )
