"""What each endpoint writes out. Read-only; each serializer names its fields, so
a new model field never reaches the API by accident."""

from typing import Any

from rest_framework import serializers

from reviews.blind import blind


class DateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    has_time = serializers.BooleanField()


class TopicSerializer(serializers.Serializer):
    name = serializers.CharField()


class ConferenceSerializer(serializers.Serializer):
    name = serializers.CharField()
    acronym = serializers.CharField()
    tagline = serializers.CharField()
    host_venue = serializers.CharField()
    website = serializers.URLField()
    time_zone = serializers.CharField()
    page_limit = serializers.IntegerField()
    dates = DateSerializer(many=True)
    topics = serializers.ListField(child=serializers.CharField())


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    affiliation = serializers.CharField()


class SubmissionSerializer(serializers.Serializer):
    """A submission as its authors and (unconflicted) chairs see it."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    keywords = serializers.CharField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField()
    topics = serializers.SerializerMethodField()
    authors = AuthorSerializer(many=True, source="authors.all")

    def get_topics(self, submission: Any) -> list[str]:
        return [topic.name for topic in submission.topics.all()]


class BlindSubmissionSerializer(serializers.Serializer):
    """`reviews.blind.BlindSubmission`: nothing that names an author."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    keywords = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    pdf_url = serializers.CharField()
    is_withdrawn = serializers.BooleanField()


class AssignedSerializer(serializers.Serializer):
    """A reviewer's assignment: the blind submission and how they appear."""

    pseudonym = serializers.CharField()
    due_at = serializers.DateTimeField()
    review_state = serializers.SerializerMethodField()
    submission = serializers.SerializerMethodField()

    def get_review_state(self, assignment: Any) -> str:
        review = getattr(assignment, "review", None)
        return review.state if review is not None else "not started"

    def get_submission(self, assignment: Any) -> dict[str, Any]:
        return BlindSubmissionSerializer(blind(assignment.submission)).data


class ChairAssignmentSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.number")
    pseudonym = serializers.CharField()
    reviewer = serializers.CharField(source="reviewer.display_name")
    reviewer_email = serializers.EmailField(source="reviewer.email")
    source = serializers.CharField()
    due_at = serializers.DateTimeField()
    review_state = serializers.SerializerMethodField()

    def get_review_state(self, assignment: Any) -> str:
        review = getattr(assignment, "review", None)
        return review.state if review is not None else "not started"


class ReviewSerializer(serializers.Serializer):
    """A review under its pseudonym; `reviewer` only for chairs."""

    submission = serializers.IntegerField(source="assignment.submission.number")
    pseudonym = serializers.CharField(source="assignment.pseudonym")
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    score = serializers.IntegerField()
    confidence = serializers.IntegerField()
    answers = serializers.JSONField()


class ChairReviewSerializer(ReviewSerializer):
    reviewer = serializers.CharField(source="assignment.reviewer.display_name")


class DecisionSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.number")
    outcome = serializers.CharField()
    reason = serializers.CharField()
    released_at = serializers.DateTimeField()


class PublicAuthorSerializer(serializers.Serializer):
    """Authors on the public page: never their email addresses."""

    name = serializers.CharField(default="")
    affiliation = serializers.CharField(default="")


class AcceptedSerializer(serializers.Serializer):
    """`proceedings.queries.AcceptedSubmission`: the camera-ready metadata."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    authors = PublicAuthorSerializer(many=True)
    presentation = serializers.CharField()
    include_in_proceedings = serializers.BooleanField()
    arxiv_url = serializers.CharField()
    has_pdf = serializers.BooleanField()
    awards = serializers.ListField(child=serializers.CharField())


class AwardResultSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.number")
    title = serializers.CharField(source="submission.title")
    place = serializers.CharField()
    citation = serializers.CharField()


class AwardSerializer(serializers.Serializer):
    """`awards.queries.PublicAward`: results once announced."""

    name = serializers.CharField(source="award.name")
    slug = serializers.CharField(source="settings.slug")
    sponsor = serializers.CharField(source="award.sponsor")
    is_announced = serializers.BooleanField(source="settings.is_announced")
    results = AwardResultSerializer(many=True)


class LeaderboardRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    submission = serializers.IntegerField(source="paper")
    title = serializers.CharField()
    task = serializers.CharField()
    dataset = serializers.CharField()
    hardware_model = serializers.CharField()
    time_to_target_s = serializers.FloatField(allow_null=True)
    energy_to_target_j = serializers.FloatField(allow_null=True)
    verified_by_jury = serializers.BooleanField()
    award = serializers.CharField()
