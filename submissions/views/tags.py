"""The chairs' tags and saved searches page, and bulk tagging from a search."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from haet.posted import posted_id
from haet.rules import conflicted_submission_ids
from haet.views import ChairRequiredMixin, current_conference
from submissions import tagging
from submissions.models import SavedSearch, Submission, Tag
from submissions.search.registry import registered_terms
from submissions.tag_forms import BulkTagForm, SavedSearchForm, TagChangeForm, TagForm


def chair_tags(user):
    """Tags a chair may see, and use to tag."""
    return Tag.objects.visible_to(user, blind=False)


def manual_tags(user):
    """Tags a chair may put on submissions by hand (not automatic ones)."""
    return chair_tags(user).filter(saved_search__isnull=True)


def errors_of(error: ValidationError) -> str:
    return " ".join(error.messages)


class TagsView(ChairRequiredMixin, TemplateView):
    """Tags (with their colour and who sees them) and saved searches."""

    template_name = "submissions/chair_tags.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        tags = (
            chair_tags(user)
            .select_related("saved_search")
            .annotate(use_count=Count("links", filter=~Q(links__submission__in=hidden)))
        )
        for tag in tags:
            tag.may_change = tagging.may_change_tag(user, tag)
            tag.change_form = TagChangeForm(instance=tag, prefix=f"tag{tag.pk}")
        searches = SavedSearch.objects.visible_to(user).select_related(
            "auto_tag", "owner"
        )
        list_url = reverse("submissions:chair-list")
        for saved in searches:
            saved.url = f"{list_url}?{urlencode({'q': saved.query})}"
        context.setdefault("tag_form", TagForm(prefix="tag"))
        context.setdefault(
            "search_form", SavedSearchForm(tags=manual_tags(user), prefix="search")
        )
        context.update(tags=tags, searches=searches, terms=registered_terms())
        return context

    def post(self, request):
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action.replace('-', '_')}", None)
        if handler is None:
            messages.error(request, "Unknown action.")
            return redirect("submissions:chair-tags")
        try:
            response = handler(request)
        except ValidationError as error:
            messages.error(request, errors_of(error))
            return redirect("submissions:chair-tags")
        except PermissionDenied as error:
            raise Http404 from error
        return response or redirect("submissions:chair-tags")

    def do_create_tag(self, request):
        form = TagForm(request.POST, prefix="tag")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(tag_form=form))
        try:
            tag = tagging.create_tag(
                current_conference(request),
                name=form.cleaned_data["name"],
                colour=form.cleaned_data["colour"],
                visibility=form.cleaned_data["visibility"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("name", errors_of(error))
            return self.render_to_response(self.get_context_data(tag_form=form))
        messages.success(request, f"Tag #{tag.name} created.")
        return None

    def tag_from_post(self, request) -> Tag:
        return get_object_or_404(chair_tags(request.user), pk=posted_id(request, "tag"))

    def do_update_tag(self, request):
        tag = self.tag_from_post(request)
        form = TagChangeForm(request.POST, instance=tag, prefix=f"tag{tag.pk}")
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        tagging.update_tag(
            Tag.objects.get(pk=tag.pk),
            colour=form.cleaned_data["colour"],
            visibility=form.cleaned_data["visibility"],
            by=request.user,
        )
        messages.success(request, f"Tag #{tag.name} saved.")

    def do_delete_tag(self, request):
        tag = self.tag_from_post(request)
        tagging.delete_tag(tag, by=request.user)
        messages.success(request, f"Tag #{tag.name} deleted.")

    def do_save_search(self, request):
        form = SavedSearchForm(
            request.POST, tags=manual_tags(request.user), prefix="search"
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(search_form=form))
        try:
            saved = tagging.save_search(
                current_conference(request),
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
                shared=form.cleaned_data["shared"],
                auto_tag=form.cleaned_data["auto_tag"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, errors_of(error))
            return self.render_to_response(self.get_context_data(search_form=form))
        messages.success(request, f"Search “{saved.name}” saved.")
        return None

    def do_delete_search(self, request):
        saved = get_object_or_404(
            SavedSearch.objects.visible_to(request.user),
            pk=posted_id(request, "search"),
        )
        tagging.delete_saved_search(saved, by=request.user)
        messages.success(request, f"Search “{saved.name}” deleted.")


class BulkTagView(ChairRequiredMixin, View):
    """Add a tag to (or remove it from) every submission a search finds."""

    def post(self, request):
        form = BulkTagForm(request.POST, tags=manual_tags(request.user))
        query = request.POST.get("q", "")
        back = reverse("submissions:chair-list")
        if query:
            back += "?" + urlencode({"q": query})
        if not form.is_valid():
            messages.error(request, "Choose a tag to add or remove.")
            return redirect(back)
        tag = form.cleaned_data["tag"]
        remove = form.cleaned_data["action"] == BulkTagForm.REMOVE
        visible = Submission.objects.exclude(
            pk__in=conflicted_submission_ids(request.user)
        )
        try:
            changed = tagging.bulk_tag(
                tag, visible, query, by=request.user, remove=remove
            )
        except ValidationError as error:
            messages.error(request, errors_of(error))
            return redirect(back)
        except PermissionDenied as error:
            raise Http404 from error
        verb = (
            "Removed #{} from {} submission{}"
            if remove
            else "Tagged {1} submission{2} #{0}"
        )
        messages.success(
            request, verb.format(tag.name, changed, "" if changed == 1 else "s") + "."
        )
        return redirect(back)
