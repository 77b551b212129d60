"""Queueing a campaign: one outbox mail per recipient, exactly once.

`queue_campaign` creates the campaign under the composer's form token (a double
click or a retried POST finds it and queues nothing more), refuses a draft whose
text or recipients changed since the preview, then queues the mails: in the
request for up to INLINE_LIMIT recipients, else as a background job
(`campaigns.jobs`). `queue_mails` writes each recipient's mail under the dedupe key
`campaign:<pk>:<recipient key>`, so running it twice queues nothing twice.
"""

import uuid
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from campaigns.composing import Draft, Prepared, opted_out, prepare
from campaigns.models import Campaign, CampaignMail
from haet.jobs.services import start_job
from haet.models import Conference, User
from haet.outbox.models import OutboxMail
from haet.outbox.moderation import release_mail
from haet.outbox.services import queue_mail

# Above this many recipients the mails are queued by a background job: a mail costs
# about 8 ms (rendered, its outbox row, links and campaign row; 300 mails in 2.5 s on
# the shared 2-core machine, PostgreSQL), so a request stays under a second.
INLINE_LIMIT = 100
QUEUE_JOB = "campaigns.queue"
MANAGE = "campaigns.manage"
TEMPLATE = "campaign"


def draft_of(campaign: Campaign) -> Draft:
    return Draft(
        recipients=campaign.recipients,
        search=campaign.search,
        subject=campaign.subject,
        body=campaign.body,
        is_essential=campaign.is_essential,
        is_held=campaign.is_held,
    )


@transaction.atomic
def queue_campaign(
    draft: Draft,
    *,
    token: uuid.UUID,
    fingerprint: str,
    conference: Conference,
    by: User,
) -> tuple[Campaign, bool]:
    """(campaign, created). The campaign of `token` if it exists already (nothing
    is queued again); else a new campaign with one mail per recipient.
    Raises ValidationError when a placeholder is refused, the search is bad, there
    is nobody to send to, or the preview (`fingerprint`) is out of date.
    Side effects: a Campaign, its CampaignMails and outbox mails (delivered after
    commit unless held), or a Job that queues them."""
    if not by.has_perm(MANAGE):
        raise PermissionDenied
    existing = Campaign.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    prepared = prepare(draft, by=by, conference=conference)
    if prepared.search is not None and prepared.search.error:
        raise ValidationError(f"The search could not run: {prepared.search.error}")
    if not prepared.recipients:
        raise ValidationError("Nobody would receive this mail: nothing was queued.")
    if prepared.fingerprint != fingerprint:
        raise ValidationError(
            "The mail or its recipients changed since the preview: check the new "
            "preview below, then queue again."
        )
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                conference=conference,
                token=token,
                recipients=draft.recipients,
                audience=prepared.kind.audience,
                search=draft.search if prepared.kind.uses_search else "",
                subject=draft.subject,
                body=draft.body,
                is_essential=draft.is_essential,
                is_held=draft.is_held,
                recipient_count=len(prepared.recipients),
                created_by=by,
            )
    except IntegrityError:  # the same form posted twice at once: the other won
        return Campaign.objects.get(token=token), False
    if len(prepared.recipients) > INLINE_LIMIT:
        campaign.job = start_job(QUEUE_JOB, by=by, params={"campaign": campaign.pk})
        campaign.save(update_fields=["job"])
    else:
        queue_mails(campaign, prepared)
    return campaign, True


def queue_mails(
    campaign: Campaign,
    prepared: Prepared,
    *,
    progress: Callable[[int, str], None] | None = None,
) -> int:
    """Queue the mail of every recipient of `prepared` not queued yet; returns how
    many were queued. A non-essential campaign skips who turned such mails off
    (recorded, shown on the delivery report). Idempotent.
    Side effects: CampaignMail and OutboxMail rows; the campaign marked queued."""
    done = set(campaign.mails.values_list("key", flat=True))
    todo = [r for r in prepared.recipients if r.key not in done]
    skipped = set() if campaign.is_essential else opted_out(todo)
    queued = 0
    for start in range(0, len(todo), 50):
        chunk = todo[start : start + 50]
        if progress is not None:
            progress(5 + 90 * start // max(len(todo), 1), f"Queued {start} mails")
        for recipient, mail in zip(chunk, prepared.rendered(chunk), strict=True):
            submission_ids = sorted(s.pk for s in recipient.submissions)
            row = None
            if recipient.email not in skipped:
                row = queue_mail(
                    to=recipient.user or recipient.email,
                    template=TEMPLATE,
                    context={
                        "subject": mail.subject,
                        "body": mail.body,
                        "preference": not campaign.is_essential,
                        "conference": campaign.conference,
                    },
                    dedupe_key=campaign.dedupe_key(recipient.key),
                    essential=campaign.is_essential,
                    hold=campaign.is_held,
                    submissions=submission_ids,
                )
                queued += row is not None
                row = (
                    row
                    or OutboxMail.objects.filter(
                        dedupe_key=campaign.dedupe_key(recipient.key)
                    ).first()
                )
            CampaignMail.objects.create(
                campaign=campaign,
                key=recipient.key,
                to_email=recipient.email,
                mail=row,
                skipped="" if row else CampaignMail.Skipped.PREFERENCES,
                submission_ids=submission_ids,
            )
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.QUEUED, recipient_count=len(prepared.recipients)
    )
    campaign.refresh_from_db()
    return queued


def queue_in_background(
    campaign: Campaign, *, by: User, progress: Callable[[int, str], None] | None = None
) -> int:
    """The job's work: find the recipients again as the chair who queued the
    campaign, and queue what is not queued yet."""
    prepared = prepare(draft_of(campaign), by=by, conference=campaign.conference)
    return queue_mails(campaign, prepared, progress=progress)


@transaction.atomic
def release_held(campaign: Campaign, *, by: User) -> int:
    """Release every held mail of the campaign that `by` may see; returns how many.
    Side effects: those of haet.outbox.moderation.release_mail."""
    if not by.has_perm(MANAGE):
        raise PermissionDenied
    held = OutboxMail.objects.visible_to(by).filter(
        status=OutboxMail.Status.HELD,
        pk__in=campaign.mails.values("mail"),
    )
    return sum(release_mail(mail, by=by) for mail in held)
