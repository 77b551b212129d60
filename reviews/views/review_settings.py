"""The chairs' review settings: the policy and the review form editor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from haet.views import ChairRequiredMixin, current_conference
from reviews.forms.review_settings import ReviewSettingsForm
from reviews.forms.reviewing import InstructionsForm, QuestionFormSet, question_initial
from reviews.models import ReviewForm, ReviewSettings
from reviews.reviewing import update_review_form


class ReviewSettingsView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/settings_form.html"

    def get_form(self, data=None):
        review_settings = ReviewSettings.objects.for_conference(
            current_conference(self.request)
        )
        return ReviewSettingsForm(data, instance=review_settings)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        return context

    def post(self, request):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, "Review settings saved.")
        return redirect("reviews:chair")


class ReviewFormEditView(ChairRequiredMixin, TemplateView):
    """Chairs edit the review form: label, help, kind (new questions), answers,
    required, visibility, order, asked or retired; add a question."""

    template_name = "reviews/reviewing/review_form_edit.html"

    def review_form(self) -> ReviewForm:
        return ReviewForm.objects.for_conference(current_conference(self.request))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.review_form()
        questions = list(form.questions.all())
        context.setdefault(
            "formset",
            QuestionFormSet(initial=[question_initial(q) for q in questions]),
        )
        context.setdefault(
            "instructions_form",
            InstructionsForm(initial={"instructions": form.instructions}),
        )
        context["review_form"] = form
        return context

    def post(self, request):
        form = self.review_form()
        questions = {q.pk: q for q in form.questions.all()}
        formset = QuestionFormSet(
            request.POST, initial=[question_initial(q) for q in questions.values()]
        )
        instructions_form = InstructionsForm(request.POST)
        if formset.is_valid() and instructions_form.is_valid():
            try:
                update_review_form(
                    form,
                    instructions=instructions_form.cleaned_data["instructions"],
                    rows=formset.to_rows(questions),
                    by=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Review form saved.")
                return redirect("reviews:review-form")
        return self.render_to_response(
            self.get_context_data(formset=formset, instructions_form=instructions_form)
        )
