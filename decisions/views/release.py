"""Releasing decisions: a summary of the mails with a few samples, and sending
exactly those after a confirmation naming their count."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.views.generic import TemplateView

from decisions.jobs import start_release
from decisions.mail_templates import mail_templates
from decisions.queries.release_preview import summarize_release
from decisions.release import preview_release
from decisions.views.scheduling import schedule_context
from haet.views import ChairRequiredMixin, current_conference
from reviews.conflicts import conflicted_submission_ids
from submissions.models import Submission


def _hidden_in(conference, user) -> set[int]:
    """The submissions of the conference the user is conflicted with."""
    hidden = conflicted_submission_ids(user)
    if not hidden:
        return set()
    return set(
        Submission.objects.filter(conference=conference, pk__in=hidden).values_list(
            "pk", flat=True
        )
    )


def _progress(conference, hidden: set[int]) -> dict[str, int]:
    """With nothing to release, why: how many of the submissions the chair may
    see (not `hidden`) have a released decision, and how many none yet (a page
    that said "every decision has been sent" before any was made misled)."""
    return (
        Submission.objects.filter(
            conference=conference, state=Submission.State.SUBMITTED
        )
        .exclude(pk__in=hidden)
        .aggregate(
            released_count=Count("pk", filter=Q(decision__released_at__isnull=False)),
            undecided_count=Count("pk", filter=Q(decision__isnull=True)),
        )
    )


class ReleaseView(ChairRequiredMixin, TemplateView):
    """GET: a summary of the mails a release would send (per outcome and template,
    the recipients, how the placeholders were filled) and a few of them rendered,
    a page at a time. POST: send exactly those, once the chair ticked the box
    naming their count."""

    permission_required = "decisions.manage"
    template_name = "decisions/release.html"
    samples_per_page = 3

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        mails, tokens, _ = preview_release(conference, by=self.request.user)
        summary = summarize_release(mails, mail_templates(conference))
        outcome = self.request.GET.get("outcome", "")
        if outcome not in {g.outcome for g in summary.groups}:
            outcome = ""
        shown = [m for m in mails if m.outcome == outcome] if outcome else mails
        samples = Paginator(shown, self.samples_per_page).get_page(
            self.request.GET.get("page")
        )
        hidden = _hidden_in(conference, self.request.user)
        context.update(
            mails=mails,
            summary=summary,
            samples=samples,
            sample_outcome=outcome,
            tokens=tokens,
            # Not how many wait for another chair: a count over hidden submissions
            # tells a chair-author that their own paper has a decision (issue 12).
            has_hidden=bool(hidden),
            submission_count=len(tokens),
            **schedule_context(conference, self.request.user),
        )
        if not mails:
            context.update(_progress(conference, hidden))
        return context

    def post(self, request):
        tokens = request.POST.getlist("token")
        if tokens and not request.POST.get("confirm"):
            messages.error(
                request,
                "Nothing was sent: tick the box with the number of mails to confirm.",
            )
            return redirect("decisions:release")
        if not tokens:
            messages.info(request, "Nothing to release: no mail was sent.")
            return redirect("decisions:dashboard")
        # A background job (issue 14, item 10): its page shows the progress, then
        # what was released, or why nothing was (decisions.jobs).
        job = start_release(tokens, by=request.user)
        return redirect("jobs:detail", pk=job.pk)
