"""The chairs' reviewing pages: the reviews of every submission, and one submission's
reviews with real names."""

from django.views.generic import TemplateView

from haet.listing import Listing, Sort
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from reviews import rules as reviewing_rules
from reviews.blind import blind
from reviews.conflicts import ConflictIndex, conflicted_submission_ids
from reviews.forms.reviewing import PostForm
from reviews.models import ReviewForm
from reviews.queries import with_review_stats
from reviews.views.reviewing import discussion, load_submission, review_item
from submissions.models import Submission
from submissions.views.search_box import SearchBox

# --- chairs --------------------------------------------------------------------------
REVIEW_SORTS = [
    Sort("number", "#", ["number"]),
    Sort("title", "Title", ["title"]),
    Sort("reviews", "Reviews", ["review_count", "assignment_count"]),
    Sort("score", "Mean score", ["mean_score"]),
    Sort("confidence", "Mean confidence", ["mean_confidence"]),
]


class ChairReviewListView(ChairRequiredMixin, TemplateView):
    """Every submission the chair may see, with its review progress and scores."""

    template_name = "reviews/reviewing/chair_review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        hidden = conflicted_submission_ids(self.request.user)
        listing = Listing(self.request, REVIEW_SORTS, default="number")
        search = SearchBox(self.request.user)  # the search language (issue 15)
        page = listing.page_queryset(
            with_review_stats(
                Submission.objects.filter(conference=conference)
                .exclude(state=Submission.State.DRAFT)
                .exclude(pk__in=hidden)
            ),
            search,
        )
        submissions = list(page.object_list)
        context.update(
            search.context(submissions),
            listing=listing,
            submissions=submissions,
            hidden_count=len(hidden),
        )
        return context


class ChairSubmissionView(NotFoundOnDeny, TemplateView):
    """The reviews of one submission with the reviewers' real names, every answer
    (chairs-only ones included), nominations, and the discussion; a chair posts as
    "Chair". A conflicted chair gets a 404."""

    permission_required = "reviews.chair_view_submission"
    template_name = "reviews/reviewing/chair_submission.html"

    def get_permission_object(self):
        if not hasattr(self, "_submission"):
            self._submission = load_submission(self.request, self.kwargs["number"])
        return self._submission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self._submission
        conference = current_conference(self.request)
        form = ReviewForm.objects.for_conference(conference)
        questions = list(form.questions.all())  # retired ones too: answers stay
        awards = {a.pk: a.name for a in conference.award_categories.all()}
        assignments = list(submission.assignments.all())
        index = ConflictIndex.build(
            users=[a.reviewer for a in assignments], submissions=[submission]
        )
        rows = []
        for a in assignments:
            review = getattr(a, "review", None)
            is_conflicted = index.is_conflicted(a.reviewer_id, submission.pk)
            rows.append(
                {
                    "assignment": a,
                    "is_conflicted": is_conflicted,
                    "item": review_item(
                        review,
                        a,
                        questions=questions,
                        awards=awards,
                        is_own=False,
                        for_chair=True,
                        is_conflicted=is_conflicted,
                    )
                    if review
                    else None,
                }
            )
        context.update(
            submission=submission,
            blind_submission=blind(submission),
            rows=rows,
            posts=discussion(submission, viewer=self.request.user, for_chair=True),
            post_form=PostForm.for_page(self.request, submission),
            settings=reviewing_rules.review_settings(submission),
        )
        return context
