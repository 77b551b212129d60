"""The reviews of a submission as its authors read them: signed "Reviewer N", only
the answers to questions visible to authors. One definition for every place that
shows them: the decision page and mail (decisions) and the author response page
(reviews.responses)."""

from dataclasses import dataclass

from reviews.models import Review, ReviewForm, ReviewQuestion
from submissions.models import Submission


@dataclass(frozen=True)
class AuthorReview:
    """One review as the authors see it: only questions visible to authors."""

    pseudonym: str
    answers: list[tuple[str, str]]  # (question label, answer text)


def answer_text(question: ReviewQuestion, value: object) -> str:
    if value in (None, "", []):
        return ""
    if question.kind in (
        ReviewQuestion.Kind.SCORE,
        ReviewQuestion.Kind.CONFIDENCE,
        ReviewQuestion.Kind.CHOICE,
    ):
        labels = {str(k): v for k, v in question.choices}
        return str(labels.get(str(value), value))
    return str(value).strip()


def author_reviews(submission: Submission) -> list[AuthorReview]:
    """Submitted reviews in pseudonym order, signed "Reviewer N", with the answers
    to questions visible to authors (two queries)."""
    questions = [
        q
        for q in ReviewForm.objects.for_conference(submission.conference)
        .questions.filter(is_active=True)
        .order_by("order", "pk")
        if q.visibility == ReviewQuestion.Visibility.AUTHORS
        and q.kind != ReviewQuestion.Kind.NOMINATIONS
    ]
    reviews = (
        Review.objects.submitted()
        .filter(assignment__submission_id=submission.pk)
        .select_related("assignment")
        .order_by("assignment__pseudonym_index")
    )
    result = []
    for review in reviews:
        answers = []
        for question in questions:
            if question.kind == ReviewQuestion.Kind.SCORE:
                value = review.answers.get(question.key, review.score)
            elif question.kind == ReviewQuestion.Kind.CONFIDENCE:
                value = review.answers.get(question.key, review.confidence)
            else:
                value = review.answers.get(question.key)
            text = answer_text(question, value)
            if text:
                answers.append((question.label, text))
        result.append(AuthorReview(review.assignment.pseudonym, answers))
    return result
