"""Reviewer pool, profile, bidding and the chairs' assignment pages.

Reviewer pages never receive a Submission: bidding and the dashboard build
`BidItem`/`AssignmentItem` rows holding only what a reviewer may see. Chair pages
hide every submission the viewing chair is conflicted with.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views import View
from django.views.generic import TemplateView

from haet.models import ImportantDate, Topic, User
from haet.rules import REVIEWERS
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from reviews import services
from reviews.conflicts import ConflictIndex, conflicted_submission_ids
from reviews.forms import (
    AffinityUploadForm,
    AssignForm,
    BidForm,
    ConflictAddForm,
    ConflictWaiveForm,
    DeclineForm,
    InviteForm,
    ProfileForm,
    ProposeForm,
    ReviewSettingsForm,
)
from reviews.models import (
    AffinityScore,
    Assignment,
    AssignmentRun,
    Bid,
    ConflictLog,
    ConflictSource,
    Invitation,
    ReviewerProfile,
    ReviewSettings,
)
from reviews.queries import visible_assignment_filter, visible_to
from reviews.rules import bidding_closes_at, bidding_is_open
from submissions.models import Submission


# --- what reviewers may see -------------------------------------------------------
@dataclass(frozen=True)
class BidItem:
    """A submission as the bidding page shows it: never its authors."""

    # Never shown: the numbers around a submission hidden by a conflict would show
    # its gap. The page and the bid URL use `key` instead (bid_key).
    number: int
    key: str
    title: str
    abstract: str
    keywords: str
    topics: tuple[str, ...]
    bid: str  # Bid.Value or ""
    is_own_conflict: bool


def bid_key(user, submission_pk: int) -> str:
    """A submission's name on one reviewer's bidding page: an HMAC of the reviewer
    and the submission, so it reveals neither the paper number (no gap where a
    conflicted submission is hidden) nor anything two reviewers could compare."""
    return salted_hmac(
        "haet.reviews.bid", f"{user.pk}:{submission_pk}", algorithm="sha256"
    ).hexdigest()[:20]


@dataclass(frozen=True)
class AssignmentItem:
    number: int
    title: str
    pseudonym: str
    due_at: datetime | None
    status: str  # "not started", "draft", "submitted"


class ReviewerRequiredMixin(NotFoundOnDeny):
    permission_required = "haet.review"

    def get_permission_object(self):
        return None


def review_deadline(conference) -> datetime | None:
    date = conference.date(ImportantDate.Kind.REVIEW_DEADLINE)
    return date.at if date else None


class DashboardView(ReviewerRequiredMixin, TemplateView):
    """The reviewer's home: assignments with due dates and status, and bidding."""

    template_name = "reviews/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        conflicted = conflicted_submission_ids(user)
        due = review_deadline(conference)
        items = []
        for assignment in Assignment.objects.for_reviewer(user):
            if assignment.submission_id in conflicted:
                continue  # a conflict found after assigning: the chairs resolve it
            review = getattr(assignment, "review", None)
            status = "not started" if review is None else review.get_state_display()
            items.append(
                AssignmentItem(
                    number=assignment.submission.number,
                    title=assignment.submission.title,
                    pseudonym=assignment.pseudonym,
                    due_at=assignment.due_at or due,
                    status=status.lower(),
                )
            )
        profile = ReviewerProfile.objects.filter(user=user).first()
        context.update(
            assignments=items,
            profile=profile,
            bid_count=Bid.objects.filter(reviewer=user).count(),
            bidding_open=bidding_is_open(conference),
            bidding_closes_at=bidding_closes_at(conference),
        )
        return context


# --- invitations ---------------------------------------------------------------------
class InvitationView(TemplateView):
    """The invitation link: anyone holding it may answer; accepting needs an
    account (the login and signup pages come back here)."""

    template_name = "reviews/invitation_answer.html"

    def get_invitation(self) -> Invitation:
        return get_object_or_404(Invitation, token=self.kwargs["token"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.get_invitation()
        here = self.request.get_full_path()
        context.update(
            invitation=invitation,
            decline_form=kwargs.get("decline_form") or DeclineForm(),
            login_url=f"{reverse('account_login')}?{urlencode({'next': here})}",
            signup_url=f"{reverse('account_signup')}?{urlencode({'next': here})}",
        )
        return context

    def post(self, request, token):
        invitation = self.get_invitation()
        if request.POST.get("action") == "accept":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                services.accept_invitation(invitation, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("reviews:invitation", token=token)
            messages.success(
                request, "Welcome to the programme committee! Please fill your profile."
            )
            return redirect("reviews:profile")
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(decline_form=form))
        services.decline_invitation(
            invitation, reason=form.cleaned_data["reason"], user=request.user
        )
        messages.success(request, "Thank you for letting us know.")
        return redirect("reviews:invitation", token=token)


# --- profile -------------------------------------------------------------------------
class ProfileView(NotFoundOnDeny, TemplateView):
    permission_required = "reviews.edit_profile"
    template_name = "reviews/profile_form.html"

    def get_permission_object(self):
        return None

    def get_form(self, data=None):
        profile = ReviewerProfile.objects.filter(user=self.request.user).first()
        return ProfileForm(
            data, instance=profile, conference=current_conference(self.request)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["settings"] = ReviewSettings.objects.for_conference(
            current_conference(self.request)
        )
        return context

    def post(self, request):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.save_profile(request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("reviews:dashboard")


# --- bidding -------------------------------------------------------------------------
def own_conflict_only(index: ConflictIndex, user_id: int) -> tuple[set, set]:
    """(hidden, own): submissions hidden by a conflict the reviewer did not declare
    themselves, and those conflicted only by their own declaration (still listed,
    so they can take it back)."""
    hidden, own = set(), set()
    for (u, s), reasons in index.reasons.items():
        if u != user_id:
            continue
        active = {r.source for r in reasons if not r.is_waived}
        if active - {ConflictSource.REVIEWER_DECLARED}:
            hidden.add(s)
        elif active:
            own.add(s)
    return hidden, own


class BiddingView(ReviewerRequiredMixin, TemplateView):
    """Every non-conflicted submitted submission, anonymised, with the reviewer's
    bid; filter by topic, search title/abstract/keywords."""

    template_name = "reviews/bidding.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        hidden, own = own_conflict_only(ConflictIndex.build(users=[user]), user.pk)
        submissions = (
            services.biddable(Submission.objects.filter(conference=conference))
            .exclude(pk__in=hidden)
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by()))
            .only("pk", "number", "title", "abstract", "keywords")
            .order_by("number")
        )
        total = submissions.count()
        topic_id = self.request.GET.get("topic", "")
        query = self.request.GET.get("q", "").strip()
        if topic_id.isdigit():
            submissions = submissions.filter(topics__pk=int(topic_id))
        for word in query.split()[:8]:
            submissions = submissions.filter(
                Q(title__icontains=word)
                | Q(abstract__icontains=word)
                | Q(keywords__icontains=word)
            )
        bids = dict(
            Bid.objects.filter(reviewer=user)
            .exclude(submission_id__in=hidden)
            .values_list("submission_id", "value")
        )
        items = [
            BidItem(
                number=s.number,
                key=bid_key(user, s.pk),
                title=s.title,
                abstract=s.abstract,
                keywords=s.keywords,
                topics=tuple(t.name for t in s.topics.all()),
                bid=bids.get(s.pk, ""),
                is_own_conflict=s.pk in own,
            )
            for s in submissions
        ]
        profile = ReviewerProfile.objects.filter(user=user).first()
        context.update(
            items=items,
            total=total,
            bid_count=len(bids),
            topics=Topic.objects.filter(conference=conference),
            topic_id=int(topic_id) if topic_id.isdigit() else None,
            query=query,
            values=Bid.Value.choices,
            bidding_open=bidding_is_open(conference),
            bidding_closes_at=bidding_closes_at(conference),
            is_done=bool(profile and profile.bidding_done_at),
            filter_query=urlencode(
                {k: v for k, v in (("topic", topic_id), ("q", query)) if v}
            ),
        )
        return context

    def post(self, request):
        """ "I have finished bidding" (or not)."""
        services.mark_bidding_done(
            request.user, is_done=request.POST.get("done") == "1"
        )
        messages.success(request, "Thank you: your bids are recorded.")
        return redirect("reviews:dashboard")


class BidView(NotFoundOnDeny, View):
    """POST a bid on one submission; 404 if the reviewer may not see it."""

    permission_required = "reviews.bid"

    def get_permission_object(self):
        return None

    def post(self, request, key):
        # The key names the submission for this reviewer only (bid_key); matching
        # it against the biddable submissions costs one HMAC each, trivial at
        # workshop size. place_bid still decides whether the bid is allowed.
        candidates = services.biddable(
            Submission.objects.filter(conference=current_conference(request))
        ).values_list("pk", flat=True)
        pk = next((pk for pk in candidates if bid_key(request.user, pk) == key), None)
        if pk is None:
            raise Http404
        submission = get_object_or_404(Submission.objects.submitted(), pk=pk)
        form = BidForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            services.place_bid(
                submission, request.user, value=form.cleaned_data["value"]
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        back = reverse("reviews:bidding")
        query = request.POST.get("filter", "")
        return redirect(f"{back}?{query}#b{key}" if query else f"{back}#b{key}")


# --- chairs ---------------------------------------------------------------------
class ChairOverviewView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/chair_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        invitations = dict(
            Invitation.objects.values_list("status").annotate(n=Count("pk"))
        )
        user = self.request.user
        submissions = visible_to(
            services.biddable(Submission.objects.filter(conference=conference)), user
        )
        settings = ReviewSettings.objects.for_conference(conference)
        per_submission = submissions.annotate(n=Count("assignments")).values_list(
            "n", flat=True
        )
        context.update(
            invitations={
                label: invitations.get(value, 0)
                for value, label in Invitation.Status.choices
            },
            reviewer_count=User.objects.filter(groups__name=REVIEWERS).count(),
            profile_count=ReviewerProfile.objects.filter(
                completed_at__isnull=False
            ).count(),
            bidding_done_count=ReviewerProfile.objects.filter(
                bidding_done_at__isnull=False
            ).count(),
            bid_count=visible_to(Bid.objects.all(), user).count(),
            submission_count=len(per_submission),
            short_count=sum(
                1 for n in per_submission if n < settings.reviewers_per_submission
            ),
            assignment_count=visible_to(Assignment.objects.all(), user).count(),
            settings=settings,
            latest_run=AssignmentRun.objects.first(),
        )
        return context


class InvitationListView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/invitation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        invitations = Invitation.objects.select_related("user", "invited_by")
        if status in Invitation.Status.values:
            invitations = invitations.filter(status=status)
        counts = dict(Invitation.objects.values_list("status").annotate(n=Count("pk")))
        context.update(
            form=kwargs.get("form") or InviteForm(),
            invitations=invitations,
            status=status,
            statuses=[
                (value, label, counts.get(value, 0))
                for value, label in Invitation.Status.choices
            ],
            total=sum(counts.values()),
        )
        return context

    def post(self, request):
        form = InviteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        invited, skipped, bad = [], [], []
        if data["email"]:
            invitation, is_new = services.invite_reviewer(
                data["email"], name=data["name"], by=request.user
            )
            (invited if is_new else skipped).append(invitation)
        if data["pasted"].strip():
            result = services.invite_reviewers(data["pasted"], by=request.user)
            invited += result["invited"]
            skipped += result["skipped"]
            bad += result["bad"]
        if invited:
            messages.success(request, f"Invited {len(invited)}.")
        if skipped:
            emails = ", ".join(i.email for i in skipped)
            messages.warning(request, f"Already invited: {emails}.")
        if bad:
            messages.error(request, f"No address found in: {'; '.join(bad)}")
        return redirect("reviews:invitations")


class ConflictListView(ChairRequiredMixin, TemplateView):
    """Every conflict with its reasons; add, waive, withdraw. Submissions the
    viewing chair is conflicted with are left out."""

    template_name = "reviews/conflict_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        submissions = visible_to(Submission.objects.filter(conference=conference), user)
        number = self.request.GET.get("submission", "")
        if number.isdigit():
            submissions = submissions.filter(number=int(number))
        submissions = submissions.in_bulk()
        index = ConflictIndex.build(submissions=submissions.values())
        people = User.objects.in_bulk({u for u, _ in index.reasons})
        rows = [
            {
                "submission": submissions[s],
                "person": people[u],
                # A co-authorship reason never names a hidden submission.
                "reasons": [r.shown_to(hidden) for r in reasons],
                "is_conflicted": index.is_conflicted(u, s),
            }
            for (u, s), reasons in index.reasons.items()
            if s in submissions and u in people
        ]
        rows.sort(key=lambda r: (r["submission"].number, r["person"].email))
        context.update(
            rows=rows,
            hidden_count=len(hidden),
            number=number,
            add_form=kwargs.get("add_form") or ConflictAddForm(user=user),
            log=visible_to(ConflictLog.objects.all(), user)
            .select_related("submission", "user", "by")
            .order_by("-at", "-pk")[:50],
        )
        return context

    def post(self, request):
        action = request.POST.get("action")
        # The forms answer a hidden submission's number as one that does not exist.
        if action == "add":
            form = ConflictAddForm(request.POST, user=request.user)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(add_form=form))
            data = form.cleaned_data
            services.declare_conflict(
                data["submission"],
                data["user"],
                source=ConflictSource.CHAIR_ADDED,
                reason=data["reason"],
                by=request.user,
            )
            messages.success(request, "Conflict added.")
            return redirect("reviews:conflicts")
        form = ConflictWaiveForm(request.POST, user=request.user)
        if not form.is_valid() or action not in ("waive", "unwaive", "remove"):
            messages.error(request, "That conflict could not be changed.")
            return redirect("reviews:conflicts")
        data = form.cleaned_data
        args = (data["submission"], data["user"])
        try:
            if action == "waive":
                services.waive_conflict(
                    *args, source=data["source"], reason=data["reason"], by=request.user
                )
            elif action == "unwaive":
                services.unwaive_conflict(*args, source=data["source"], by=request.user)
            else:
                services.remove_declared_conflict(
                    *args, source=data["source"], by=request.user
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Conflict updated.")
        return redirect(f"{reverse('reviews:conflicts')}#c{data['submission'].number}")


class AssignmentListView(ChairRequiredMixin, TemplateView):
    """Current assignments per submission; add or remove by hand."""

    template_name = "reviews/assignment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        settings = ReviewSettings.objects.for_conference(conference)
        submissions = list(
            visible_to(
                services.biddable(Submission.objects.filter(conference=conference)),
                user,
            )
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related(
                        "reviewer", "review"
                    ).order_by("pseudonym_index"),
                )
            )
            .order_by("number")
        )
        # Loads count only the assignments of submissions this chair may see:
        # counting a hidden one would single out its reviewers.
        reviewers = list(
            User.objects.filter(groups__name=REVIEWERS)
            .annotate(
                load=Count(
                    "assignments",
                    distinct=True,
                    filter=visible_assignment_filter(user),
                )
            )
            .order_by("email")
        )
        index = ConflictIndex.build(users=reviewers, submissions=submissions)
        rows = []
        for submission in submissions:
            assignments = [
                {
                    "assignment": a,
                    "is_conflicted": index.is_conflicted(a.reviewer_id, submission.pk),
                    "has_review": hasattr(a, "review"),
                }
                for a in submission.assignments.all()
            ]
            rows.append(
                {
                    "submission": submission,
                    "assignments": assignments,
                    "is_short": len(assignments) < settings.reviewers_per_submission,
                }
            )
        context.update(
            rows=rows,
            reviewers=reviewers,
            settings=settings,
            hidden_count=len(hidden),
            form=kwargs.get("form") or AssignForm(user=user),
        )
        return context

    def post(self, request):
        if request.POST.get("action") == "remove":
            assignment = get_object_or_404(
                visible_to(Assignment.objects.all(), request.user),
                pk=request.POST.get("assignment", "0") or 0,
            )
            try:
                services.unassign_reviewer(assignment, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Assignment removed.")
            return redirect("reviews:assignments")
        # A hidden submission's number is answered as one that does not exist.
        form = AssignForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submission = form.cleaned_data["submission"]
        try:
            assignment, is_new = services.assign_reviewer(
                submission, form.cleaned_data["reviewer"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        if is_new:
            messages.success(
                request, f"Assigned as {assignment.pseudonym} of #{submission.number}."
            )
        else:
            messages.warning(request, "That reviewer was already assigned.")
        return redirect("reviews:assignments")


class RunListView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/run_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        runs = list(
            AssignmentRun.objects.select_related("created_by", "deployed_by")[:30]
        )
        for run in runs:
            # New pairs of the submissions this chair may see (see inspect_run).
            pairs = (run.result or {}).get("pairs")
            run.shown_pair_count = (
                None if pairs is None else sum(1 for p in pairs if p[0] not in hidden)
            )
        context.update(
            form=kwargs.get("form") or ProposeForm(),
            runs=runs,
            uploaded_count=visible_to(
                AffinityScore.objects.filter(source=AffinityScore.Source.UPLOADED), user
            ).count(),
            settings=ReviewSettings.objects.for_conference(
                current_conference(self.request)
            ),
        )
        return context

    def post(self, request):
        form = ProposeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        run = services.propose_assignment(by=request.user, **form.cleaned_data)
        return redirect("reviews:run", pk=run.pk)


class RunDetailView(ChairRequiredMixin, TemplateView):
    """Inspect a proposal: progress while it runs; then the proposed pairs, the
    change, per-submission and per-reviewer affinity, loads, unfilled reasons."""

    template_name = "reviews/run_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = get_object_or_404(AssignmentRun, pk=self.kwargs["pk"])
        context["run"] = run
        if run.status in (AssignmentRun.Status.DONE, AssignmentRun.Status.DEPLOYED):
            context.update(
                services.inspect_run(
                    run, hidden=conflicted_submission_ids(self.request.user)
                )
            )
        return context

    def post(self, request, pk):
        run = get_object_or_404(AssignmentRun, pk=pk)
        if request.POST.get("action") == "discard":
            services.discard_run(run, by=request.user)
            messages.success(request, "Proposal discarded.")
            return redirect("reviews:runs")
        try:
            created = services.deploy_run(run, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("reviews:run", pk=pk)
        messages.success(
            request,
            f"Deployed: {len(created)} new assignments; each reviewer gets a mail.",
        )
        # Said whenever the run covers a hidden submission (as its page says), not
        # only when one had new pairs: that would tell the chair it was short.
        if services.run_submission_ids(run) & conflicted_submission_ids(request.user):
            messages.info(
                request,
                "Nothing was deployed for the submissions you are conflicted with: "
                "another chair can propose and deploy again for them.",
            )
        return redirect("reviews:assignments")


class AffinityUploadView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/affinity_upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AffinityUploadForm())
        context["uploaded_count"] = visible_to(
            AffinityScore.objects.filter(source=AffinityScore.Source.UPLOADED),
            self.request.user,
        ).count()
        return context

    def post(self, request):
        form = AffinityUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = services.upload_affinity(form.cleaned_data["csv"], by=request.user)
        if result["errors"]:
            for error in result["errors"][:20]:
                form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, f"{result['count']} affinity scores uploaded.")
        return redirect("reviews:runs")


class ReviewSettingsView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/settings_form.html"

    def get_form(self, data=None):
        settings = ReviewSettings.objects.for_conference(
            current_conference(self.request)
        )
        return ReviewSettingsForm(data, instance=settings)

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
