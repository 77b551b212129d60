"""Authors' pages: a submission's prizes, entering and withdrawing an entry.

A view parses (form), checks (rules), calls one service, renders or redirects.
Forbidden objects are 404 (`NotFoundOnDeny`); anonymous visitors go to the login,
except on the public pages.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from awards.entering import check_can_enter, save_entry, withdraw_entry
from awards.entry_links import describe, is_declared, mark_answer
from awards.forms import EntryForm
from awards.models import AwardSettings, Entry
from awards.views.mixins import AwardMixin
from haet.views import NotFoundOnDeny, current_conference
from submissions.models import Submission


class SubmissionMixin(NotFoundOnDeny):
    """The paper by number; only its authors (`awards.enter`)."""

    permission_required = "awards.enter"

    @cached_property
    def submission(self) -> Submission:
        return get_object_or_404(
            Submission.objects.select_related("contact").prefetch_related("authors"),
            number=self.kwargs["number"],
            conference=current_conference(self.request),
        )

    def get_permission_object(self):
        return self.submission


def prize_statuses(submission: Submission, user) -> list[dict]:
    """Each prize the paper could enter: its entry, and whether it may enter now
    (with the reason if not). A few queries per prize; there are two or three."""
    conference = submission.conference
    entries = {e.award_id: e for e in Entry.objects.filter(submission=submission)}
    statuses = []
    for found in AwardSettings.objects.for_conference(conference):
        if not found.accepts_entries:
            continue
        reason = ""
        try:
            check_can_enter(found.award, submission, by=user)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
        statuses.append(
            {
                "settings": found,
                "award": found.award,
                "entry": entries.get(found.award_id),
                "is_declared": is_declared(found, submission),
                "link": describe(found),
                "can_enter": not reason,
                "reason": reason,
            }
        )
    return statuses


class SubmissionPrizesView(SubmissionMixin, TemplateView):
    """The prizes a paper can enter, from its submission page."""

    template_name = "awards/submission_prizes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submission"] = self.submission
        context["prizes"] = prize_statuses(self.submission, self.request.user)
        return context


class EntryView(AwardMixin, SubmissionMixin, TemplateView):
    """Enter a prize, or change the entry, until the entry deadline; read-only
    after it (frozen)."""

    template_name = "awards/entry_form.html"

    def get_permission_object(self):
        return self.submission

    @cached_property
    def entry(self) -> Entry | None:
        return Entry.objects.filter(
            award=self.award, submission=self.submission
        ).first()

    def reason_closed(self) -> str:
        try:
            check_can_enter(self.award, self.submission, by=self.request.user)
        except ValidationError as error:
            return " ".join(error.messages)
        return ""

    def get_context_data(self, **kwargs):
        if not self.award_settings.accepts_entries:
            raise Http404
        context = super().get_context_data(**kwargs)
        reason = self.reason_closed()
        if "form" not in context and not reason:
            context["form"] = EntryForm(
                kind=self.award_settings.kind,
                initial=EntryForm.initial_from(self.entry),
            )
        context.update(
            award=self.award,
            award_settings=self.award_settings,
            submission=self.submission,
            entry=self.entry,
            is_declared=is_declared(self.award_settings, self.submission),
            link=describe(self.award_settings),
            closed_reason=reason,
            closes_at=self.award_settings.entry_closes_at,
        )
        return context

    def post(self, request, slug, number):
        if not self.award_settings.accepts_entries:
            raise Http404
        form = EntryForm(request.POST, kind=self.award_settings.kind)
        if form.is_valid():
            try:
                save_entry(
                    self.award, self.submission, data=form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_error(None, error)
                else:
                    messages.error(request, " ".join(error.messages))
                    return redirect(
                        "awards:entry", slug=slug, number=self.submission.number
                    )
            else:
                messages.success(
                    request,
                    f"Saved the entry of #{self.submission.number} for "
                    f"{self.award.name}. You can change it until the deadline.",
                )
                return redirect("awards:entry", slug=slug, number=number)
        return self.render_to_response(self.get_context_data(form=form))


class EntryWithdrawView(AwardMixin, SubmissionMixin, View):
    def get_permission_object(self):
        return self.submission

    def post(self, request, slug, number):
        """Withdraw the entry, or only the submission form's declaration."""
        entry = Entry.objects.filter(
            award=self.award, submission=self.submission
        ).first()
        if entry is None and not is_declared(self.award_settings, self.submission):
            raise Http404
        try:
            if entry is None:
                mark_answer(
                    self.award_settings, self.submission, entered=False, by=request.user
                )
            else:
                withdraw_entry(entry, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Withdrew the entry for {self.award.name}.")
        return redirect("awards:submission", number=number)
