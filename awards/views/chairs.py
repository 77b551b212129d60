"""The chairs' award pages: categories, juries, judging, shortlist, results,
announcement and publication.

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

from awards.categories import appoint_jury, save_award
from awards.entry_links import describe
from awards.forms import (
    AwardCategoryForm,
    AwardSettingsForm,
    JuryForm,
    PublishForm,
    ResultForm,
    ShortlistForm,
)
from awards.judging import change_shortlist
from awards.models import AwardResult, AwardSettings
from awards.publication import publish_refusal
from awards.queries import declared_without_entry, eligible_submissions, jury_reach
from awards.ranking import ranking
from awards.results import (
    announce,
    announce_refusal,
    publish_leaderboard,
    set_result,
)
from awards.views.mixins import AwardMixin, get_award
from haet.listing import Listing, Sort
from haet.models import AwardCategory
from haet.rules import conflicted_submission_ids
from haet.views import ChairRequiredMixin, current_conference
from submissions.models import Submission

AWARD_SORTS = [
    Sort("call", "Award"),  # the call for papers' order
    Sort("name", "Name", value=lambda found: found.award.name.casefold()),
    Sort("kind", "Kind", value=lambda found: found.get_kind_display()),
    Sort("deadline", "Entry deadline", value=lambda found: found.entry_closes_at),
]


class ChairAwardListView(ChairRequiredMixin, TemplateView):
    template_name = "awards/chair_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listing = Listing(self.request, AWARD_SORTS, default="call")
        page = listing.page_list(
            AwardSettings.objects.for_conference(current_conference(self.request)),
            text=lambda found: f"{found.award.name} {found.get_kind_display()}",
        )
        context.update(listing=listing, awards=page.object_list)
        return context


class ChairAwardEditView(ChairRequiredMixin, TemplateView):
    """A category and its settings and jury, on one page."""

    template_name = "awards/chair_form.html"

    @cached_property
    def award(self) -> AwardCategory | None:
        slug = self.kwargs.get("slug")
        return get_award(self.request, slug) if slug else None

    def forms(self, data=None) -> dict:
        conference = current_conference(self.request)
        found = self.award.award_settings if self.award else None
        jury = " ".join(u.email for u in found.jury.all()) if found else ""
        return {
            "category_form": AwardCategoryForm(data, instance=self.award, prefix="c"),
            "settings_form": AwardSettingsForm(
                data,
                instance=found or AwardSettings(),
                conference=conference,
                prefix="s",
            ),
            "jury_form": JuryForm(data, initial={"emails": jury}, prefix="j"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for name, form in self.forms().items():
            context.setdefault(name, form)
        context["award"] = self.award
        return context

    def post(self, request, slug=None):
        forms = self.forms(request.POST)
        if all(form.is_valid() for form in forms.values()):
            settings_data = dict(forms["settings_form"].cleaned_data)
            try:
                found = save_award(
                    self.award,
                    conference=current_conference(request),
                    category=forms["category_form"].cleaned_data,
                    award_settings=settings_data,
                    by=request.user,
                )
                appoint_jury(
                    found.award,
                    forms["jury_form"].cleaned_data["emails"],
                    by=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Saved “{found.award.name}”.")
                return redirect("awards:chair-edit", slug=found.slug)
        return self.render_to_response(self.get_context_data(**forms))


class ChairJudgingView(AwardMixin, ChairRequiredMixin, TemplateView):
    """Shortlist (add/remove), the jury's aggregate ranking, results, announcement
    and leaderboard publication."""

    template_name = "awards/chair_judging.html"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = ranking(self.award, viewer=self.request.user)
        # A result the service refused comes back as typed, with its reason; if
        # its row is gone (the award announced, the paper taken off the
        # shortlist meanwhile) its citation is shown above, to copy.
        refused = kwargs.get("refused_result")
        is_open = not self.award_settings.is_announced  # rows have forms
        for row in rows:
            if (
                is_open
                and refused
                and refused.prefix == f"r{row.candidate.submission_id}"
            ):
                row.form, refused = refused, None
                continue
            row.form = ResultForm(
                initial={
                    "place": row.result.place if row.result else "",
                    "citation": row.result.citation if row.result else "",
                },
                prefix=f"r{row.candidate.submission_id}",
            )
        if refused is not None:
            context["unsaved_citation"] = refused.data.get(f"{refused.prefix}-citation")
        shortlisted = {row.candidate.submission_id for row in rows}
        # Who may judge what is shown: a juror conflicted with every paper has an
        # empty ballot, a paper every juror is conflicted with gets no judgement.
        jury = list(self.award_settings.jury.all())
        reach = jury_reach(jury, shortlisted)
        for row in rows:
            row.juror_count = sum(
                row.candidate.submission_id in ids for ids in reach.values()
            )
        # A conflicted chair is neither offered nor counted a paper hidden from
        # them; they are told that some are hidden, in words that depend on
        # neither the shortlist, the jury nor the decisions.
        hidden = conflicted_submission_ids(self.request.user)
        eligible = eligible_submissions(self.award).exclude(pk__in=hidden)
        declared = declared_without_entry(self.award_settings, hidden=hidden)
        context.update(
            declared=declared,
            entry_link=describe(self.award_settings),
            award=self.award,
            award_settings=self.award_settings,
            rows=rows,
            jury=jury,
            idle_jurors=[j for j in jury if rows and not reach[j.pk]],
            shortlist_form=ShortlistForm(),
            eligible_count=eligible.count(),
            has_hidden=bool(hidden),
            not_shortlisted=eligible.exclude(pk__in=shortlisted)
            .only("number", "title")
            .order_by("number"),
            announce_refusal=announce_refusal(
                self.award, list(AwardResult.objects.filter(award=self.award))
            ),
            publish_refusal=publish_refusal(self.award.conference_id),
        )
        return context


class ChairActionMixin(AwardMixin, ChairRequiredMixin, View):
    def get_permission_object(self):
        return None

    def done(self):
        return redirect("awards:chair-judging", slug=self.award_settings.slug)


class ChairShortlistView(ChairActionMixin):
    def post(self, request, slug):
        form = ShortlistForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give a paper number.")
            return self.done()
        submission = Submission.objects.filter(
            number=form.cleaned_data["number"], conference=current_conference(request)
        ).first()
        if submission is None:
            messages.error(
                request, f"There is no paper #{form.cleaned_data['number']}."
            )
            return self.done()
        try:
            change_shortlist(
                self.award,
                submission,
                action=form.cleaned_data["action"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            verb = "Added" if form.cleaned_data["action"] == "add" else "Removed"
            messages.success(request, f"{verb} #{submission.number}.")
        return self.done()


class ChairResultView(ChairJudgingView):
    """Saves one paper's place and citation; refused, the judging page comes
    back with them as typed and the reason (a redirect lost the citation)."""

    http_method_names = ["post"]

    def post(self, request, slug, number):
        submission = get_object_or_404(
            Submission, number=number, conference=current_conference(request)
        )
        form = ResultForm(request.POST, prefix=f"r{submission.pk}")
        reason = "Choose a place."
        if form.is_valid():
            try:
                set_result(
                    self.award,
                    submission,
                    place=form.cleaned_data["place"] or None,
                    citation=form.cleaned_data["citation"],
                    by=request.user,
                )
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                reason = " ".join(error.messages)
            else:
                messages.success(request, f"Saved the result of #{number}.")
                return redirect("awards:chair-judging", slug=self.award_settings.slug)
        messages.error(request, f"The result of #{number} was not saved: {reason}")
        return self.render_to_response(self.get_context_data(refused_result=form))


class ChairAnnounceView(ChairActionMixin):
    def post(self, request, slug):
        try:
            announce(self.award, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Announced {self.award.name}: the awards page shows the results and "
                "the authors are being mailed.",
            )
        return self.done()


class ChairPublishView(ChairActionMixin):
    def post(self, request, slug):
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                publish_leaderboard(
                    self.award,
                    is_published=form.cleaned_data["is_published"],
                    by=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                state = "public" if form.cleaned_data["is_published"] else "private"
                messages.success(request, f"The leaderboard is now {state}.")
        return self.done()
