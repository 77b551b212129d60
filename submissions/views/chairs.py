"""The chairs' submission list, detail (extensions) and settings."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from haet.deadlines import describe_deadline
from haet.listing import Listing, Sort
from haet.rules import conflicted_submission_ids
from haet.views import ChairRequiredMixin, current_conference
from submissions.deadlines import grant_extension
from submissions.fields.queries import (
    answers_by_submission,
    column_fields,
    shown_answers,
)
from submissions.forms import ExtensionForm, SubmissionSettingsForm
from submissions.models import Submission, SubmissionSettings
from submissions.views.mixins import SubmissionMixin, with_deadline
from submissions.views.search_box import SearchBox

SUBMISSION_SORTS = [
    Sort("number", "#", ["number"]),
    Sort("title", "Title and authors", ["title"]),
    Sort("state", "State", ["state", "-is_late"]),
]


class ChairSubmissionListView(ChairRequiredMixin, TemplateView):
    template_name = "submissions/chair_submission_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        submission_settings = SubmissionSettings.objects.for_conference(conference)
        hidden = conflicted_submission_ids(self.request.user)
        visible = Submission.objects.exclude(pk__in=hidden)
        listing = Listing(self.request, SUBMISSION_SORTS, default="number")
        totals = visible.aggregate(
            all=Count("pk"),
            late=Count("pk", filter=Q(is_late=True)),
            **{s.value: Count("pk", filter=Q(state=s)) for s in Submission.State},
        )
        search = SearchBox(self.request.user)  # the search language (issue 15)
        page = listing.page_queryset(visible.for_listing(), search, total=totals["all"])
        submissions = with_deadline(page.object_list, conference, submission_settings)
        field_columns = column_fields(conference)  # chair-defined fields (issue 15)
        answers = answers_by_submission([s.pk for s in submissions], field_columns)
        for submission in submissions:
            found = answers.get(submission.pk, {})
            submission.field_cells = [  # type: ignore[attr-defined]
                found[f.pk].text if f.pk in found else "" for f in field_columns
            ]
        context.update(
            search.context(submissions),
            field_columns=field_columns,
            listing=listing,
            submissions=submissions,
            counts={state.label: totals[state.value] for state in Submission.State},
            late_count=totals["late"],
            hidden_count=len(hidden),
            settings=submission_settings,
        )
        return context


class ChairSubmissionDetailView(ChairRequiredMixin, SubmissionMixin, TemplateView):
    template_name = "submissions/chair_submission_detail.html"
    # Chairs only, and not one conflicted with this submission.
    permission_required = "submissions.grant_extension"

    def get_permission_object(self):
        return self.submission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.deadline_context())
        conference = current_conference(self.request)
        for extension in self.submission.extensions.all():
            extension.until_text = describe_deadline(extension.until, conference)
        context.setdefault("form", ExtensionForm(conference=conference))
        context["shown"] = shown_answers(
            self.submission.pk, conference, audience="chairs"
        )
        return context

    def post(self, request, number):
        form = ExtensionForm(request.POST, conference=current_conference(request))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        extension = grant_extension(
            self.submission,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(
            request,
            f"#{self.submission.number} may change until "
            f"{describe_deadline(extension.until, current_conference(request))}.",
        )
        return redirect("submissions:chair-detail", number=number)


class ChairSettingsView(ChairRequiredMixin, TemplateView):
    template_name = "submissions/chair_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission_settings = SubmissionSettings.objects.for_conference(
            current_conference(self.request)
        )
        context.setdefault("form", SubmissionSettingsForm(instance=submission_settings))
        return context

    def post(self, request):
        submission_settings = SubmissionSettings.objects.for_conference(
            current_conference(request)
        )
        form = SubmissionSettingsForm(request.POST, instance=submission_settings)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, "Submission settings saved.")
        return redirect(reverse("submissions:chair-settings"))
