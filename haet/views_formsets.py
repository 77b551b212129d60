"""The chairs' pages that edit a list of the conference's rows at once (the
topics): one form a row, saved together."""

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from haet.forms import TopicFormSet
from haet.models import Topic
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


def topic_uses(topic: Topic) -> list[str]:
    """What holds the topic ("11 submissions", "3 reviewer profiles"), from
    the models that point at it: haet knows no app above it (layering)."""
    uses = []
    for relation in Topic._meta.related_objects:
        if not relation.many_to_many or relation.related_name == "+":
            continue
        model = relation.related_model
        count = model._default_manager.filter(**{relation.field.name: topic}).count()
        if count:
            names = (
                model._meta.verbose_name_plural
                if count > 1
                else model._meta.verbose_name
            )
            uses.append(f"{count} {names}")
    return uses


class TopicsView(FormSetView):
    """Deleting a topic that submissions or reviewer profiles hold takes it
    from them: the page says so and asks to save again before it does."""

    template_name = "haet/chair_formset.html"
    formset_class = TopicFormSet
    title = "Topics"
    success_url = "chair-topics"

    def post(self, request: HttpRequest) -> HttpResponse:
        formset = self.formset_class(request.POST, instance=current_conference(request))
        if formset.is_valid() and "confirm_delete" not in request.POST:
            deleted: list[Topic] = [form.instance for form in formset.deleted_forms]
            losses = [
                f"“{topic.name}” is chosen by {' and '.join(uses)}"
                for topic in deleted
                if topic.pk and (uses := topic_uses(topic))
            ]
            if losses:
                return self.render_to_response(
                    self.get_context_data(formset=formset, losses=losses)
                )
        return super().post(request)
