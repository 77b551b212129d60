"""The chairs' page of submission fields (define, edit, reorder, archive) and
the download of a file answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from haet.rules import conflicted_submission_ids
from haet.views import ChairRequiredMixin, current_conference
from submissions.fields.forms import FieldDefinitionForm
from submissions.fields.services import (
    archive_field,
    move_field,
    restore_field,
    save_field,
)
from submissions.models import FieldAnswer, SubmissionField
from submissions.views.mixins import SubmissionMixin


class FieldListView(ChairRequiredMixin, TemplateView):
    template_name = "submissions/fields/field_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        fields = list(
            SubmissionField.objects.for_conference(conference)
            .select_related("condition_field")
            # Not counting the submissions this chair is conflicted with.
            .annotate(
                answer_count=Count(
                    "answers",
                    filter=~Q(
                        answers__submission__in=conflicted_submission_ids(
                            self.request.user
                        )
                    ),
                )
            )
            .order_by("archived_at", "order", "pk")
        )
        context.update(
            active=[f for f in fields if not f.is_archived],
            archived=[f for f in fields if f.is_archived],
        )
        return context


class FieldEditView(ChairRequiredMixin, TemplateView):
    """New field (no pk) or change one."""

    template_name = "submissions/fields/field_form.html"

    @cached_property
    def field(self) -> SubmissionField | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            SubmissionField.objects.for_conference(current_conference(self.request)),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"] = FieldDefinitionForm(
                instance=self.field, conference=current_conference(self.request)
            )
        context["field"] = self.field
        return context

    def post(self, request, **kwargs):
        form = FieldDefinitionForm(
            request.POST,
            instance=self.field,
            conference=current_conference(request),
        )
        if form.is_valid():
            try:
                field = save_field(form.instance, by=request.user)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        target = name if name in form.fields else None
                        if name == "choices":
                            target = "choices_text"
                        form.add_error(target, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, f"Saved the field “{field.label}”.")
                return redirect("submissions:chair-fields")
        return self.render_to_response(self.get_context_data(form=form))


class FieldActionView(ChairRequiredMixin, View):
    """POST-only buttons: archive, restore, move up or down."""

    action = ""

    def post(self, request, pk):
        field = get_object_or_404(
            SubmissionField.objects.for_conference(current_conference(request)), pk=pk
        )
        if self.action == "archive":
            archive_field(field, by=request.user)
            messages.success(
                request,
                f"Archived “{field.label}”: authors no longer see it; its answers "
                "are kept for chairs.",
            )
        elif self.action == "restore":
            restore_field(field, by=request.user)
            messages.success(request, f"“{field.label}” is on the form again.")
        else:
            move_field(field, up=request.POST.get("direction") == "up", by=request.user)
        return redirect("submissions:chair-fields")


class FieldFileView(SubmissionMixin, View):
    """A file answer, to the submission's authors and its unconflicted chairs."""

    def get(self, request, number, pk):
        answer = (
            FieldAnswer.objects.filter(submission=self.submission, field_id=pk)
            .exclude(file="")
            .first()
        )
        if answer is None:
            raise Http404
        return FileResponse(
            answer.file.open("rb"),
            as_attachment=True,
            filename=f"{self.submission.file_stem}-{answer.field.slug}-"
            f"{answer.file_name.rsplit('/', 1)[-1]}",
        )
