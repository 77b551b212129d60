"""The jury's pages: shortlist, scores, ranks, verifying entries. Jurors get
`Candidate`s: never a paper's authors.

A view parses (form), checks (rules), calls one service, renders or redirects.
Forbidden objects are 404 (`NotFoundOnDeny`); anonymous visitors go to the login,
except on the public pages.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from awards.entering import verify_entry
from awards.forms import RankForm, ScoreForm, VerifyForm
from awards.judging import rank_submissions, score_submission
from awards.models import AwardSettings, Judgement
from awards.queries import juries_of, jury_shortlist
from awards.views.mixins import AwardMixin
from haet.views import NotFoundOnDeny
from submissions.models import Submission


class JuryHomeView(NotFoundOnDeny, TemplateView):
    """The awards the signed-in user is a juror of (404 for everyone else)."""

    template_name = "awards/jury_home.html"

    @cached_property
    def juries(self):
        return juries_of(self.request.user)

    def has_permission(self):
        return bool(self.juries)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["juries"] = self.juries
        return context


class JuryAwardView(AwardMixin, NotFoundOnDeny, TemplateView):
    """A juror's shortlist (conflicted papers absent), entries with evidence, and
    the score or rank form."""

    template_name = "awards/jury_award.html"
    permission_required = "awards.judge"

    @cached_property
    def candidates(self):
        return jury_shortlist(self.award, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = {
            j.submission_id: j
            for j in Judgement.objects.filter(award=self.award, juror=self.request.user)
        }
        is_rank = self.award_settings.judging == AwardSettings.Judging.RANK
        refused = kwargs.get("refused_score_forms", {})  # as typed, with errors
        items = []
        for candidate in self.candidates:
            judgement = mine.get(candidate.submission_id)
            items.append(
                {
                    "candidate": candidate,
                    "judgement": judgement,
                    "score_form": refused.get(candidate.submission_id)
                    or ScoreForm(
                        initial={
                            "score": judgement.score if judgement else None,
                            "comment": judgement.comment if judgement else "",
                        },
                        prefix=f"s{candidate.submission_id}",
                    ),
                }
            )
        if is_rank and "rank_form" not in context:
            initial = {}
            for pk, judgement in mine.items():
                initial[f"rank_{pk}"] = judgement.rank
                initial[f"comment_{pk}"] = judgement.comment
            context["rank_form"] = RankForm(candidates=self.candidates, initial=initial)
        context.update(
            award=self.award,
            award_settings=self.award_settings,
            items=items,
            is_rank=is_rank,
            is_closed=self.award_settings.is_announced,
        )
        return context


class JuryScoreView(JuryAwardView):
    """Saves one score; refused, the jury page comes back with the score and
    comment as typed and the reason above them."""

    http_method_names = ["post"]

    def post(self, request, slug, number):
        visible = {c.number: c for c in self.candidates}
        if number not in visible:
            raise Http404  # not shortlisted, or conflicted: the same answer
        candidate = visible[number]
        form = ScoreForm(request.POST, prefix=f"s{candidate.submission_id}")
        if form.is_valid():
            submission = Submission.objects.get(pk=candidate.submission_id)
            try:
                score_submission(
                    self.award,
                    submission,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except ValidationError as error:
                # The model's own checks may name fields this form lacks.
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, f"Saved your judgement of #{number}.")
                return redirect(
                    reverse("awards:jury-award", args=[slug]) + f"#paper-{number}"
                )
        messages.error(request, f"Your score of #{number} was not saved: see below.")
        return self.render_to_response(
            self.get_context_data(refused_score_forms={candidate.submission_id: form})
        )


class JuryRankView(JuryAwardView):
    """Saves the ballot; refused (a rank used twice, a gap), the jury page comes
    back with every rank and comment as typed: nothing a juror wrote is lost."""

    http_method_names = ["post"]

    def post(self, request, slug):
        form = RankForm(request.POST, candidates=self.candidates)
        if form.is_valid():
            try:
                rank_submissions(
                    self.award, form.ranks(), comments=form.comments(), by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Saved your ranking.")
                return redirect("awards:jury-award", slug=slug)
        # The ballot is at the foot of a long page: say so where the page starts.
        messages.error(request, "Your ranking was not saved: see the ballot below.")
        return self.render_to_response(self.get_context_data(rank_form=form))


class VerifyEntryView(AwardMixin, NotFoundOnDeny, View):
    """A juror or a chair marks an entry's evidence as checked."""

    def has_permission(self):
        user = self.request.user
        return user.has_perm("awards.judge", self.award) or user.has_perm(
            "awards.manage"
        )

    def post(self, request, slug, number):
        visible = {c.number: c for c in jury_shortlist(self.award, request.user)}
        candidate = visible.get(number)
        if candidate is None or candidate.entry is None:
            raise Http404
        form = VerifyForm(request.POST)
        if form.is_valid():
            try:
                verify_entry(
                    candidate.entry,
                    is_verified=form.cleaned_data["is_verified"],
                    by=request.user,
                )
            except PermissionDenied as error:
                raise Http404 from error
            messages.success(request, f"Updated the verification of #{number}.")
        back = request.POST.get("next", "")
        if back == "chair" and request.user.has_perm("awards.manage"):
            return redirect("awards:chair-judging", slug=slug)
        return redirect(reverse("awards:jury-award", args=[slug]) + f"#paper-{number}")
