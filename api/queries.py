"""What each endpoint returns: the pages' own QuerySets and rules, per `Viewer`.

Never a separate permission model. Chairs (a chairing scope) read through
`Submission.objects.visible_to` and `reviews.queries.visible_to`, which leave out
every submission they are conflicted with; authors through `authored_by`;
reviewers only their live, unconflicted assignments, as `BlindSubmission`s;
anonymous clients the public data (public dates, released accepted papers,
announced awards, published leaderboards)."""

from django.db.models import Prefetch, QuerySet

from api.authentication import Viewer
from decisions.models import Decision
from haet.models import Conference, ImportantDate, Topic, User
from haet.rules import conflicted_submission_ids
from reviews.models import Assignment, Review
from reviews.queries import visible_to
from submissions.models import Author, Submission
from submissions.search import SearchResult, search_submissions


def dates(viewer: Viewer, conference: Conference) -> QuerySet[ImportantDate]:
    found = ImportantDate.objects.filter(conference=conference)
    if not viewer.as_chair:
        found = found.filter(is_public=True)
    return found.order_by("order", "at")


def topics(conference: Conference) -> QuerySet[Topic]:
    return Topic.objects.filter(conference=conference).order_by("order", "pk")


def submissions(viewer: Viewer) -> QuerySet[Submission]:
    """A chair's: all but the conflicted; anyone else's: those they author."""
    if viewer.is_anonymous:
        return Submission.objects.none()
    if viewer.as_chair:
        found = Submission.objects.visible_to(viewer.user)
    else:
        found = Submission.objects.authored_by(viewer.user)
    return found.prefetch_related(
        "topics", Prefetch("authors", queryset=Author.objects.order_by("order", "pk"))
    ).order_by("number")


def search(viewer: Viewer, queryset: QuerySet, text: str) -> SearchResult:
    """`?q=`: the pages' search language, blind unless the viewer reads as chair."""
    return search_submissions(
        queryset, text, user=viewer.user, blind=not viewer.as_chair
    )


def assigned(viewer: Viewer) -> QuerySet[Assignment]:
    """The reviewer's own live assignments, none they are conflicted with (the
    reviewer dashboard's list); serialised through `reviews.blind`."""
    if not viewer.as_reviewer:
        return Assignment.objects.none()
    return (
        Assignment.objects.for_reviewer(viewer.user)
        .exclude(submission_id__in=conflicted_submission_ids(viewer.user))
        .select_related("submission__current_version")
        .prefetch_related("submission__topics")
    )


def assignments(viewer: Viewer) -> QuerySet[Assignment]:
    """Chairs: every assignment of a submission they may see, with the reviewer.
    Reviewers: their own (as `assigned`)."""
    if viewer.as_chair and isinstance(viewer.user, User):
        return visible_to(
            Assignment.objects.select_related("submission", "reviewer", "review"),
            viewer.user,
        ).order_by("submission__number", "pseudonym_index")
    return assigned(viewer).select_related("review")


def reviews(viewer: Viewer) -> QuerySet[Review]:
    """Chairs: the submitted reviews of submissions they may see. Reviewers: their
    own reviews (drafts too) on their live, unconflicted assignments."""
    found = Review.objects.select_related(
        "assignment__submission", "assignment__reviewer"
    ).order_by("assignment__submission__number", "assignment__pseudonym_index")
    if viewer.as_chair:
        return found.submitted().filter(
            assignment__submission__in=Submission.objects.visible_to(viewer.user)
        )
    return found.filter(assignment__in=assigned(viewer).values("pk"))


def decisions(viewer: Viewer) -> QuerySet[Decision]:
    """Chairs: every decision of a submission they may see, released or not.
    Authors: the released decisions of their own submissions."""
    found = Decision.objects.select_related("submission").order_by("submission__number")
    if viewer.is_anonymous:
        return found.none()
    if viewer.as_chair:
        return found.filter(submission__in=Submission.objects.visible_to(viewer.user))
    return found.released().filter(
        submission__in=Submission.objects.authored_by(viewer.user)
    )
