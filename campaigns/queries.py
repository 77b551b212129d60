"""Reading campaigns as one chair may: counts and mails from the outbox rows the
chair may see (`OutboxMail.objects.visible_to`), so a conflicted chair never
counts, nor reads, a mail about a submission they are conflicted with."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from campaigns.models import Campaign, CampaignMail
from haet.models import Conference, User
from haet.outbox.models import OutboxMail
from haet.rules import conflicted_submission_ids

SKIPPED = "skipped"


def campaigns_of(conference: Conference, *, user: User) -> QuerySet[Campaign]:
    """The conference's campaigns `user` may see: all but another chair's campaign
    whose every mail is about a submission `user` is conflicted with (such a
    campaign is about those submissions; its own chair still sees it)."""
    campaigns = Campaign.objects.filter(conference=conference).select_related(
        "created_by", "job"
    )
    if not conflicted_submission_ids(user):
        return campaigns
    rows = CampaignMail.objects.filter(campaign=OuterRef("pk"), mail__isnull=False)
    visible = OutboxMail.objects.visible_to(user).values("pk")
    return campaigns.filter(
        Q(created_by=user) | ~Exists(rows) | Exists(rows.filter(mail__in=visible))
    )


def delivery_counts(
    campaign_ids: Iterable[int], *, user: User
) -> dict[int, dict[str, int]]:
    """{campaign id: {status: count, "skipped": count}} over what `user` may see,
    in two queries for any number of campaigns."""
    ids = list(campaign_ids)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    visible = OutboxMail.objects.visible_to(user).values("pk")
    rows = (
        CampaignMail.objects.filter(campaign_id__in=ids, mail__in=visible)
        .values_list("campaign_id", "mail__status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for campaign_id, status, count in rows:
        counts[campaign_id][status] = count
    for row in skipped_rows(
        CampaignMail.objects.filter(campaign_id__in=ids), user=user
    ):
        counts[row.campaign_id][SKIPPED] = counts[row.campaign_id].get(SKIPPED, 0) + 1
    return counts


def skipped_rows(rows: QuerySet[CampaignMail], *, user: User) -> list[CampaignMail]:
    """The recipients who got no mail (mail preferences), except those about a
    submission `user` is conflicted with."""
    hidden = conflicted_submission_ids(user)
    return [
        row
        for row in rows.filter(mail__isnull=True).order_by("to_email", "pk")
        if not hidden.intersection(row.submission_ids)
    ]


def report_mails(campaign: Campaign, *, user: User) -> QuerySet[OutboxMail]:
    """The campaign's outbox mails `user` may see (texts not loaded)."""
    return (
        OutboxMail.objects.visible_to(user)
        .filter(pk__in=campaign.mails.values("mail"))
        .defer("body_text", "body_html")
    )
