"""Awards pages: the public awards page and leaderboards (HTML, CSV, JSON, SVG),
authors' prize entries, the jury's shortlist, and the chairs' award pages.

A view parses (form), checks (rules), calls one service, renders or redirects.
Forbidden objects are 404 (`NotFoundOnDeny`); anonymous visitors go to the login,
except on the public pages. Jurors get `Candidate`s: never a paper's authors.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from awards import services
from awards.forms import (
    AwardCategoryForm,
    AwardSettingsForm,
    EntryForm,
    JuryForm,
    PublishForm,
    RankForm,
    ResultForm,
    ScoreForm,
    ShortlistForm,
    VerifyForm,
)
from awards.models import AwardSettings, Entry, Judgement
from awards.plots import Point, time_energy_svg
from awards.publication import publish_refusal
from awards.queries import (
    SORTS,
    default_sort,
    eligible_submissions,
    juries_of,
    jury_shortlist,
    leaderboard,
    public_awards,
    ranking,
)
from haet.models import AwardCategory
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from submissions.models import Submission


def get_award(request, slug: str) -> AwardCategory:
    """The award of the current conference with its settings and jury."""
    found = get_object_or_404(
        AwardSettings.objects.select_related("award").prefetch_related("jury"),
        slug=slug,
        award__conference=current_conference(request),
    )
    award = found.award
    award.award_settings = found
    found.award = award
    return award


class AwardMixin:
    """Resolves `slug` to `self.award` (404 if unknown)."""

    @cached_property
    def award(self) -> AwardCategory:
        return get_award(self.request, self.kwargs["slug"])

    @property
    def award_settings(self) -> AwardSettings:
        return self.award.award_settings

    def get_permission_object(self):
        return self.award


# --- public ------------------------------------------------------------------------
class AwardListView(TemplateView):
    """/awards/: categories with sponsors and details (or "details coming soon");
    winners and citations once announced; links to published leaderboards."""

    template_name = "awards/award_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["awards"] = public_awards(current_conference(self.request))
        return context


def leaderboard_records(rows) -> list[dict]:
    """Plain values of a leaderboard, for CSV and JSON: normalized units."""
    records = []
    for row in rows:
        e = row.entry
        records.append(
            {
                "position": row.position,
                "paper": row.number,
                "title": row.title,
                "task": e.task,
                "dataset": e.dataset,
                "target_metric": e.target_metric,
                "target_value": e.target_value,
                "hardware_kind": e.get_hardware_kind_display()
                if e.hardware_kind
                else "",
                "hardware_model": e.hardware_model,
                "time_to_target_s": e.time_s,
                "energy_to_target_j": e.energy_j,
                "average_power_w": e.power_w,
                "throughput_samples_per_s": e.throughput,
                "measurement": e.get_measurement_display() if e.measurement else "",
                "nodes": e.node_count,
                "accelerators_per_node": e.accelerators_per_node,
                "accelerator_model": e.accelerator_model,
                "interconnect": e.interconnect,
                "accelerator_hours": e.accelerator_hours,
                "implied_energy_j": e.implied_energy_j,
                "samples_per_joule": e.samples_per_joule,
                "software_stack": e.software_stack,
                "code_url": e.code_url,
                "code_commit": e.code_commit,
                "logs_url": e.logs_url,
                "artifact_url": e.artifact_url,
                "verified_by_jury": e.is_verified,
                "award": row.result.get_place_display() if row.result else "",
            }
        )
    return records


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet shows as text, never runs: "=HYPERLINK(…)" -> "'=…"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if value is None:
        return ""
    return value


class LeaderboardMixin(AwardMixin, NotFoundOnDeny):
    """Public once published; chairs and jurors see it before. Awards that take no
    entries have none."""

    permission_required = "awards.view_leaderboard"

    def has_permission(self):
        if not self.award_settings.accepts_entries:
            raise Http404
        return super().has_permission()

    def handle_no_permission(self):
        raise Http404  # an unpublished leaderboard does not exist for the public

    @cached_property
    def sort(self) -> str:
        wanted = self.request.GET.get("sort", "")
        return wanted if wanted in SORTS else default_sort(self.award_settings)

    @cached_property
    def rows(self):
        return leaderboard(self.award, sort=self.sort)


def plot_for(rows) -> str:
    points = [
        Point(
            label=f"#{row.number}",
            title=row.title,
            time_s=row.entry.time_s,
            energy_j=row.entry.energy_j,
            is_verified=row.entry.is_verified,
            is_winner=bool(row.result and row.result.is_winner),
        )
        for row in rows
        if row.entry.time_s and row.entry.energy_j
    ]
    return time_energy_svg(points, missing_count=len(rows) - len(points))


class LeaderboardView(LeaderboardMixin, TemplateView):
    template_name = "awards/leaderboard_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            award=self.award,
            award_settings=self.award_settings,
            rows=self.rows,
            sort=self.sort,
            sorts=[(key, label) for key, (_, label) in SORTS.items()],
            plot=plot_for(self.rows),
        )
        return context


class LeaderboardCsvView(LeaderboardMixin, View):
    def get(self, request, slug):
        records = leaderboard_records(self.rows)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.award_settings.slug}-leaderboard.csv"'
        )
        fields = list(records[0]) if records else ["position", "paper", "title"]
        writer = csv.DictWriter(response, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow({k: csv_safe(v) for k, v in record.items()})
        return response


class LeaderboardJsonView(LeaderboardMixin, View):
    def get(self, request, slug):
        return JsonResponse(
            {
                "award": self.award.name,
                "sponsor": self.award.sponsor,
                "metric": self.award_settings.metric,
                "sort": self.sort,
                "units": {"time": "s", "energy": "J", "power": "W"},
                "entries": leaderboard_records(self.rows),
            },
            json_dumps_params={"ensure_ascii": False},
        )


class LeaderboardSvgView(LeaderboardMixin, View):
    def get(self, request, slug):
        response = HttpResponse(plot_for(self.rows), content_type="image/svg+xml")
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- authors -----------------------------------------------------------------------
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
            services.check_can_enter(found.award, submission, by=user)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
        statuses.append(
            {
                "settings": found,
                "award": found.award,
                "entry": entries.get(found.award_id),
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
            services.check_can_enter(self.award, self.submission, by=self.request.user)
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
                services.save_entry(
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
        entry = get_object_or_404(Entry, award=self.award, submission=self.submission)
        try:
            services.withdraw_entry(entry, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Withdrew the entry for {self.award.name}.")
        return redirect("awards:submission", number=number)


# --- jurors ------------------------------------------------------------------------
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
        items = []
        for candidate in self.candidates:
            judgement = mine.get(candidate.submission_id)
            items.append(
                {
                    "candidate": candidate,
                    "judgement": judgement,
                    "score_form": ScoreForm(
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


class JuryScoreView(AwardMixin, NotFoundOnDeny, View):
    permission_required = "awards.judge"

    def post(self, request, slug, number):
        visible = {c.number: c for c in jury_shortlist(self.award, request.user)}
        if number not in visible:
            raise Http404  # not shortlisted, or conflicted: the same answer
        candidate = visible[number]
        form = ScoreForm(request.POST, prefix=f"s{candidate.submission_id}")
        if not form.is_valid():
            messages.error(request, "Choose a score from 1 to 10.")
            return redirect("awards:jury-award", slug=slug)
        submission = Submission.objects.get(pk=candidate.submission_id)
        try:
            services.score_submission(
                self.award,
                submission,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Saved your judgement of #{number}.")
        return redirect(reverse("awards:jury-award", args=[slug]) + f"#paper-{number}")


class JuryRankView(AwardMixin, NotFoundOnDeny, TemplateView):
    permission_required = "awards.judge"
    template_name = "awards/jury_award.html"

    def post(self, request, slug):
        candidates = jury_shortlist(self.award, request.user)
        form = RankForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                services.rank_submissions(
                    self.award, form.ranks(), comments=form.comments(), by=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Saved your ranking.")
        else:
            messages.error(request, "Ranks are whole numbers from 1.")
        return redirect("awards:jury-award", slug=slug)


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
                services.verify_entry(
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


# --- chairs ------------------------------------------------------------------------
class ChairAwardListView(ChairRequiredMixin, TemplateView):
    template_name = "awards/chair_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["awards"] = AwardSettings.objects.for_conference(
            current_conference(self.request)
        )
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
                found = services.save_award(
                    self.award,
                    conference=current_conference(request),
                    category=forms["category_form"].cleaned_data,
                    settings=settings_data,
                    by=request.user,
                )
                services.appoint_jury(
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
        for row in rows:
            row.form = ResultForm(
                initial={
                    "place": row.result.place if row.result else "",
                    "citation": row.result.citation if row.result else "",
                },
                prefix=f"r{row.candidate.submission_id}",
            )
        shortlisted = {row.candidate.submission_id for row in rows}
        context.update(
            award=self.award,
            award_settings=self.award_settings,
            rows=rows,
            jury=list(self.award_settings.jury.all()),
            shortlist_form=ShortlistForm(),
            eligible_count=eligible_submissions(self.award).count(),
            not_shortlisted=eligible_submissions(self.award)
            .exclude(pk__in=shortlisted)
            .only("number", "title")
            .order_by("number"),
            has_winner=any(r.result and r.result.is_winner for r in rows),
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
            services.change_shortlist(
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


class ChairResultView(ChairActionMixin):
    def post(self, request, slug, number):
        submission = get_object_or_404(
            Submission, number=number, conference=current_conference(request)
        )
        form = ResultForm(request.POST, prefix=f"r{submission.pk}")
        if not form.is_valid():
            messages.error(request, "Choose a place.")
            return self.done()
        try:
            services.set_result(
                self.award,
                submission,
                place=form.cleaned_data["place"] or None,
                citation=form.cleaned_data["citation"],
                by=request.user,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Saved the result of #{number}.")
        return self.done()


class ChairAnnounceView(ChairActionMixin):
    def post(self, request, slug):
        try:
            services.announce(self.award, by=request.user)
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
                services.publish_leaderboard(
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
