"""The decision, the meta-review and the reviews of one submission as its authors
read them on the decision page (`decisions:author-view`), once released.

The same definitions as the page and the decision mail: `reviews.for_authors`
(signed "Reviewer N", only the answers to questions visible to authors) and
`decisions.meta_reviews.text_for_authors`. Never a reviewer's name. Authors get
404 until the decision is released; a chair (chairing scope) reads it like the
page's preview, never for a submission they are conflicted with."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.permissions import ReadOnly
from api.views.base import ApiView
from decisions.meta_reviews import text_for_authors
from haet.rules import is_unconflicted_chair
from reviews.for_authors import author_reviews
from submissions.models import Submission


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class AuthorReviewSerializer(serializers.Serializer):
    pseudonym = serializers.CharField()
    answers = AnswerSerializer(many=True)


class OutcomeSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    outcome = serializers.CharField()
    reason = serializers.CharField()
    released_at = serializers.DateTimeField(allow_null=True)
    meta_review = serializers.CharField()
    reviews = AuthorReviewSerializer(many=True)


class SubmissionReviewsView(ApiView):
    """Authors: the decision, meta-review and reviews of their submission once the
    decision is released (404 before). Chairs: the same, as the authors will read
    it, for every submission they may see."""

    permission_classes = [ReadOnly, IsAuthenticated]
    serializer_class = OutcomeSerializer

    def readable(self, number: int) -> Submission:
        found = (
            Submission.objects.exclude(state=Submission.State.DRAFT)
            .exclude(state=Submission.State.WITHDRAWN)
            .select_related("decision")
            .filter(conference=self.conference, number=number)
            .first()
        )
        if found is None:
            raise Http404
        decision = getattr(found, "decision", None)
        if decision is None:
            raise Http404
        user = self.viewer.user
        is_author = Submission.objects.authored_by(user).filter(pk=found.pk).exists()
        as_author = is_author and decision.is_released
        as_chair = self.viewer.as_chair and is_unconflicted_chair(user, found)
        if not (as_author or as_chair):
            raise Http404  # missing, unreleased and forbidden look the same
        return found

    @extend_schema(responses=OutcomeSerializer)
    def get(self, request: Any, number: int) -> Response:
        submission = self.readable(number)
        decision = submission.decision
        data = {
            "submission": submission.number,
            "outcome": decision.outcome,
            "reason": decision.reason,
            "released_at": decision.released_at,
            "meta_review": text_for_authors(submission),
            "reviews": [
                {
                    "pseudonym": review.pseudonym,
                    "answers": [
                        {"question": label, "answer": text}
                        for label, text in review.answers
                    ],
                }
                for review in author_reviews(submission)
            ],
        }
        return Response(OutcomeSerializer(data).data)
