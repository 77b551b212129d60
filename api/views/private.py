"""Endpoints about submissions and their reviewing: each lists what the viewer may
see on the pages (`api.queries`). Anonymous clients are asked to authenticate
(401); a "public" token gets empty lists here."""

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api import queries, serializers
from api.permissions import ReadOnly
from api.views.base import ApiView, BadQuery, ListView
from submissions.models import Submission

SEARCH = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description="The search language of the pages: words, #tag, status:, topic:, "
    "reviews:<3, decision:accept... (author fields and chairs' terms for chairs).",
)


class PrivateListView(ListView):
    permission_classes = [ReadOnly, IsAuthenticated]


class SearchableListView(PrivateListView):
    """A list whose submissions narrow by `?q=`, the pages' search language."""

    def searched_submissions(self, submissions: Any) -> Any:
        text = self.request.query_params.get("q", "")
        if not text.strip():
            return submissions
        result = queries.search(self.viewer, submissions, text)
        if result.error is not None:
            raise BadQuery(
                f"{result.error} (at character {result.error.position + 1} of “{text}”)"
            )
        return result.queryset


@extend_schema(parameters=[SEARCH])
class SubmissionListView(SearchableListView):
    """Authors: their own submissions. Chairs (chairing scope): every submission
    but those they are conflicted with."""

    serializer_class = serializers.SubmissionSerializer

    def rows(self) -> Any:
        return queries.submissions(self.viewer)

    def filtered(self, rows: Any) -> Any:
        return self.searched_submissions(rows)


class SubmissionDetailView(ApiView):
    permission_classes = [ReadOnly, IsAuthenticated]
    serializer_class = serializers.SubmissionSerializer

    def get(self, request: Any, number: int) -> Response:
        found = queries.submissions(self.viewer).filter(number=number).first()
        if found is None:
            raise Http404  # missing and forbidden look the same
        return Response(self.get_serializer(found).data)


@extend_schema(parameters=[SEARCH])
class AssignedListView(SearchableListView):
    """A reviewer's live assignments, blind: what the reviewer dashboard lists."""

    serializer_class = serializers.AssignedSerializer

    def rows(self) -> Any:
        return queries.assigned(self.viewer)

    def filtered(self, rows: Any) -> Any:
        if not self.request.query_params.get("q", "").strip():
            return rows
        submissions = Submission.objects.filter(pk__in=rows.values("submission_id"))
        return rows.filter(submission__in=self.searched_submissions(submissions))


class AssignmentListView(PrivateListView):
    """Chairs: every assignment they may see, with the reviewer's name. Reviewers:
    their own."""

    def get_serializer_class(self) -> Any:
        if self.viewer.as_chair:
            return serializers.ChairAssignmentSerializer
        return serializers.AssignedSerializer

    serializer_class = serializers.ChairAssignmentSerializer

    def rows(self) -> Any:
        return queries.assignments(self.viewer)


class ReviewListView(PrivateListView):
    """Chairs: submitted reviews of what they may see, with the reviewer's name.
    Reviewers: their own reviews, under their pseudonym."""

    serializer_class = serializers.ReviewSerializer

    def get_serializer_class(self) -> Any:
        if self.viewer.as_chair:
            return serializers.ChairReviewSerializer
        return serializers.ReviewSerializer

    def rows(self) -> Any:
        return queries.reviews(self.viewer)


class DecisionListView(PrivateListView):
    """Chairs: decisions of what they may see, released or not. Authors: released
    decisions of their own submissions."""

    serializer_class = serializers.DecisionSerializer

    def rows(self) -> Any:
        return queries.decisions(self.viewer)
