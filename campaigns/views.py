"""The chairs' campaign pages: the list, the composer (preview, then queue) and a
campaign's delivery report. Views parse, call `campaigns.sending`, render."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from campaigns import sending
from campaigns.audiences import recipient_kind, recipient_kinds
from campaigns.composing import field_names, opted_out, prepare
from campaigns.forms import ComposeForm
from campaigns.models import Campaign
from campaigns.placeholders import offered
from campaigns.queries import (
    SKIPPED,
    campaigns_of,
    delivery_counts,
    report_mails,
    skipped_rows,
)
from campaigns.sending import queue_campaign, release_held
from haet.listing import Listing, Sort
from haet.outbox.models import OutboxMail
from haet.views import ChairRequiredMixin, current_conference
from submissions.models import SavedSearch
from submissions.search.registry import registered_terms

Status = OutboxMail.Status
STATUSES = [(SKIPPED, "Skipped"), *Status.choices]

LIST_SORTS = [
    Sort("created", "Created", ["created_at"]),
    Sort("subject", "Subject", ["subject"]),
    Sort("recipients", "Recipients", ["recipients"]),
]
REPORT_SORTS = [
    Sort("to", "To", ["to_email"]),
    Sort("status", "Status", ["status"]),
    Sort("attempts", "Attempts", ["attempts"]),
    Sort("sent", "Sent", ["sent_at"]),
]


class CampaignListView(ChairRequiredMixin, TemplateView):
    template_name = "campaigns/campaign_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listing = Listing(self.request, LIST_SORTS, default="-created")
        page = listing.page_queryset(
            campaigns_of(current_conference(self.request), user=self.request.user),
            ["subject", "body"],
        )
        counts = delivery_counts(
            [c.pk for c in page.object_list], user=self.request.user
        )
        context.update(
            listing=listing,
            rows=[
                (
                    campaign,
                    recipient_kind(campaign.recipients),
                    [
                        (label, counts[campaign.pk].get(value, 0))
                        for value, label in STATUSES
                        if counts[campaign.pk].get(value)
                    ],
                )
                for campaign in page.object_list
            ],
        )
        return context


class ComposeView(ChairRequiredMixin, TemplateView):
    """GET: an empty composer (`?q=` and `?recipients=` prefill it). POST with
    action=preview: the count and a page of rendered mails; action=queue: the
    campaign, then its delivery report."""

    template_name = "campaigns/compose.html"

    def get(self, request, *args, **kwargs):
        form = ComposeForm(
            initial={
                "recipients": request.GET.get("recipients", "authors"),
                "q": request.GET.get("q", "status:submitted"),
            }
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = ComposeForm(request.POST)
        context = {"form": form}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**context))
        conference = current_conference(request)
        draft = form.draft()
        token = form.cleaned_data["token"]
        if token is None:  # the first preview names this composition
            token = uuid.uuid4()
            form.data = form.data.copy()
            form.data["token"] = str(token)
        elif request.POST.get("action") == "queue":
            try:
                campaign, created = queue_campaign(
                    draft,
                    token=token,
                    fingerprint=form.cleaned_data["fingerprint"],
                    conference=conference,
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not created:
                    messages.info(request, "This campaign was queued already.")
                elif campaign.job_id:
                    messages.success(request, "The mails are being queued.")
                else:
                    messages.success(request, "Queued in the outbox.")
                return redirect("campaigns:detail", campaign.pk)
        try:
            prepared = prepare(draft, by=request.user, conference=conference)
        except ValidationError as error:
            form.add_error("body", error)
            return self.render_to_response(self.get_context_data(**context))
        page = prepared.preview_page(request.POST.get("page", "1"))
        # The queue button posts back what this preview showed.
        form.data = form.data.copy()
        form.data["fingerprint"] = prepared.fingerprint
        context.update(
            prepared=prepared,
            preview=page,
            search=prepared.search,
            opted_out_count=0
            if draft.is_essential
            else len(opted_out(prepared.recipients)),
        )
        return self.render_to_response(self.get_context_data(**context))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        conference = current_conference(self.request)
        key = form["recipients"].value() or "authors"
        kind = recipient_kind(key) or recipient_kinds()[0]
        context.update(
            saved_searches=SavedSearch.objects.visible_to(self.request.user).filter(
                conference=conference
            ),
            kind=kind,
            placeholders=offered(kind, field_names(kind, conference)),
            search_terms=registered_terms(),
            inline_limit=sending.INLINE_LIMIT,  # read now: tests lower it
        )
        return context


def chair_campaign(request, pk: int) -> Campaign:
    campaigns = campaigns_of(current_conference(request), user=request.user)
    return get_object_or_404(campaigns, pk=pk)


class CampaignReportView(ChairRequiredMixin, TemplateView):
    """The delivery report: queued, sent, failed (with the reason), held, skipped;
    only the mails this chair may see."""

    template_name = "campaigns/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = chair_campaign(self.request, self.kwargs["pk"])
        counts = delivery_counts([campaign.pk], user=user)[campaign.pk]
        listing = Listing(self.request, REPORT_SORTS, default="to")
        mails = report_mails(campaign, user=user)
        status = self.request.GET.get("status", "")
        if status in Status.values:
            mails = mails.filter(status=status)
        page = listing.page_queryset(mails, lambda queryset, q: queryset.search(q))
        context.update(
            campaign=campaign,
            kind=recipient_kind(campaign.recipients),
            listing=listing,
            mails=page.object_list,
            skipped=skipped_rows(campaign.mails.all(), user=user),
            status_tabs=[
                (value, label, counts.get(value, 0)) for value, label in STATUSES
            ],
            total_count=sum(n for status, n in counts.items() if status != SKIPPED),
            current_status=status,
            held_count=counts.get(Status.HELD, 0),
        )
        return context


class ReleaseHeldView(ChairRequiredMixin, View):
    def post(self, request, pk: int):
        campaign = chair_campaign(request, pk)
        released = release_held(campaign, by=request.user)
        messages.success(
            request, f"Released {released} mail{'' if released == 1 else 's'}."
        )
        return redirect("campaigns:detail", campaign.pk)
