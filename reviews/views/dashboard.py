"""The reviewer's dashboard and the chairs' overview of the reviewing."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.views.generic import TemplateView

from haet.models import User
from haet.rules import REVIEWERS
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from reviews.bidding import biddable
from reviews.conflicts import conflicted_submission_ids
from reviews.models import (
    Assignment,
    AssignmentRun,
    Bid,
    Invitation,
    ReviewerProfile,
    ReviewSettings,
)
from reviews.queries import visible_to
from reviews.review_deadline import reviewer_update_untils
from reviews.reviewing import review_closes_at
from reviews.rules import bidding_closes_at, bidding_is_open
from submissions.models import Submission
from submissions.search import search_submissions
from submissions.search.shown_tags import tags_by_submission


@dataclass(frozen=True)
class AssignmentItem:
    number: int
    title: str
    pseudonym: str
    closes_at: datetime | None  # the review deadline, its own if a chair set one
    status: str  # "not started", "draft", "submitted"
    tags: tuple = ()  # the tags chairs show reviewers
    # After the authors' response, the submitted review may be updated until then
    # (reviews.review_deadline.reviewer_update_until); None where that does not apply.
    update_until: datetime | None = None


class ReviewerRequiredMixin(NotFoundOnDeny):
    permission_required = "haet.review"

    def get_permission_object(self):
        return None


class DashboardView(ReviewerRequiredMixin, TemplateView):
    """The reviewer's home: assignments with due dates and status, and bidding."""

    template_name = "reviews/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        conflicted = conflicted_submission_ids(user)
        items = []
        assignments = [
            a
            for a in Assignment.objects.for_reviewer(user)
            # a conflict found after assigning: the chairs resolve it
            if a.submission_id not in conflicted
        ]
        search = self.request.GET.get("q", "").strip()
        if search:  # the search language, blind: never the author fields
            result = search_submissions(
                Submission.objects.filter(
                    pk__in=[a.submission_id for a in assignments]
                ),
                search,
                user=user,
                blind=True,
            )
            found = set(result.queryset.values_list("pk", flat=True))
            assignments = [a for a in assignments if a.submission_id in found]
            context.update(search=search, search_error=result.error)
        tags = tags_by_submission(
            [a.submission_id for a in assignments], user=user, blind=True
        )
        update_untils = reviewer_update_untils(assignments, conference=conference)
        for assignment in assignments:
            review = getattr(assignment, "review", None)
            status = "not started" if review is None else review.get_state_display()
            items.append(
                AssignmentItem(
                    number=assignment.submission.number,
                    title=assignment.submission.title,
                    pseudonym=assignment.pseudonym,
                    closes_at=review_closes_at(assignment, conference=conference),
                    status=status.lower(),
                    tags=tuple(tags[assignment.submission_id]),
                    update_until=update_untils.get(assignment.pk),
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
            biddable(Submission.objects.filter(conference=conference)), user
        )
        review_settings = ReviewSettings.objects.for_conference(conference)
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
                1
                for n in per_submission
                if n < review_settings.reviewers_per_submission
            ),
            assignment_count=visible_to(Assignment.objects.all(), user).count(),
            settings=review_settings,
            latest_run=AssignmentRun.objects.first(),
        )
        return context
