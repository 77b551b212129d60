"""The chairs' pages that edit a list of the conference's rows at once (the
topics): one form a row, saved together."""

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from haet.forms import TopicFormSet
from haet.views import ChairRequiredMixin, current_conference

# The formset checks names against each other and the database, but another
# chair may save the same one between that check and the save.
DUPLICATE_NAME = (
    "Not saved: two would have the same name (another chair may have saved one "
    "meanwhile). Check the names and save again."
)


class FormSetView(ChairRequiredMixin, TemplateView):
    formset_class: type = TopicFormSet
    title = ""
    success_url = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "formset", self.formset_class(instance=current_conference(self.request))
        )
        context["title"] = self.title
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        formset = self.formset_class(request.POST, instance=current_conference(request))
        if formset.is_valid():
            try:
                with transaction.atomic():
                    formset.save()
            except IntegrityError:  # e.g. another chair saved the same name meanwhile
                messages.error(request, DUPLICATE_NAME)
            else:
                messages.success(request, f"{self.title} saved.")
                return redirect(self.success_url)
        return self.render_to_response(self.get_context_data(formset=formset))


class TopicsView(FormSetView):
    template_name = "haet/chair_formset.html"
    formset_class = TopicFormSet
    title = "Topics"
    success_url = "chair-topics"
