"""The dry run of imported reviews (EasyChair's review.csv): which become a
reviewer's assignment and submitted review, which are unchanged, which are
skipped and why. Writes nothing; a fixed number of queries.

Answers are mapped onto the conference's review form where a question matches:
an exported field named like a question's label or key, "overall evaluation"
onto the score question and "reviewer's confidence" onto the confidence
question (the value must be one of the question's choices); the review text
onto the text question for the authors (key "comments", else the first text
question authors read). What matches nothing is reported and left out."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from exchange.imports.records import ImportedReview
from haet.models import Conference, User
from reviews.conflicts import ConflictIndex, email_domain, public_domains
from reviews.models import Assignment, ReviewForm, ReviewQuestion
from submissions.models import Submission

CREATE, UNCHANGED, SKIP = "create", "unchanged", "skip"
ALIASES: dict[str, set[str]] = {
    ReviewQuestion.Kind.SCORE: {"overall evaluation", "overall", "score"},
    ReviewQuestion.Kind.CONFIDENCE: {"reviewer's confidence", "confidence"},
}


@dataclass
class ReviewStep:
    review: ImportedReview
    action: str = CREATE
    reasons: list[str] = field(default_factory=list)
    number: int | None = None  # an existing submission
    is_hidden: bool = False  # one the viewing chair is conflicted with
    answers: dict[str, object] = field(default_factory=dict)  # question key: value
    written_at: datetime | None = None
    has_account: bool = False


def _questions(conference: Conference) -> list[ReviewQuestion]:
    form = ReviewForm.objects.for_conference(conference)
    return list(form.questions.filter(is_active=True).order_by("order", "pk"))


def _text_question(questions: list[ReviewQuestion]) -> ReviewQuestion | None:
    texts = [
        q
        for q in questions
        if q.kind == ReviewQuestion.Kind.TEXT
        and q.visibility == ReviewQuestion.Visibility.AUTHORS
    ]
    return next((q for q in texts if q.key == "comments"), texts[0] if texts else None)


def map_answers(
    review: ImportedReview, questions: list[ReviewQuestion]
) -> tuple[dict[str, object], list[str]]:
    """(answers by question key, what was left out and why)."""
    answers: dict[str, object] = {}
    reasons: list[str] = []
    for name, value in review.scores.items():
        wanted = name.strip().lower()
        question = next(
            (
                q
                for q in questions
                if wanted in (q.label.lower(), q.key.lower())
                or wanted in ALIASES.get(q.kind, set())
            ),
            None,
        )
        if question is None or question.kind == ReviewQuestion.Kind.NOMINATIONS:
            reasons.append(
                f"No question of the review form matches “{name}”: left out."
            )
            continue
        if question.kind == ReviewQuestion.Kind.TEXT:
            answers[question.key] = value
            continue
        allowed = {str(v): v for v, _ in question.choices}
        if value.lstrip("+") not in allowed:
            reasons.append(
                f"“{name}: {value}” is not a choice of “{question.label}”: left out."
            )
            continue
        answers[question.key] = allowed[value.lstrip("+")]
    text_question = _text_question(questions)
    if review.text.strip():
        if text_question is None:
            reasons.append("The review form has no text question for the authors.")
        else:
            answers[text_question.key] = review.text.strip()
    return answers, reasons


def _instant(value: str) -> datetime | None:
    try:
        parsed = parse_datetime(value.strip().replace(" ", "T"))
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def _conflicted(
    email: str, authors: list[str], declared: list[tuple[str, str]], public: set[str]
) -> str:
    """Why the reviewer may not review the submission (by address), or ""."""
    if email in authors:
        return "is an author"
    domain = email_domain(email)
    for kind, value in declared:
        if kind == "person" and value == email:
            return "the authors declared a conflict with them"
        if kind == "domain" and (domain == value or domain.endswith("." + value)):
            return "the authors declared a conflict with their institution"
    if domain not in public and domain in {email_domain(a) for a in authors}:
        return "same institution as an author"
    return ""


def plan_reviews(
    reviews: list[ImportedReview],
    *,
    conference: Conference,
    submissions: dict[str, tuple[Submission | None, list[str], list, bool]],
    hidden_ids: frozenset[int] = frozenset(),
) -> list[ReviewStep]:
    """`submissions`: {their submission id: (the existing submission or None if
    it is to be created, author emails, declared conflicts, is withdrawn)} for the
    submissions the import creates or keeps (skipped ones are left out)."""
    questions = _questions(conference)
    public = public_domains()
    emails = {r.email for r in reviews if r.email}
    accounts = {
        u.address: u
        for u in User.objects.annotate(address=Lower("email")).filter(
            address__in=emails
        )
    }
    existing = [s for s, *_ in submissions.values() if s is not None]
    index = ConflictIndex.build(users=list(accounts.values()), submissions=existing)
    reviewed = {
        (a.submission_id, a.reviewer_id): a
        for a in Assignment.objects.filter(
            submission__in=existing, reviewer__in=list(accounts.values())
        ).select_related("review")
    }
    steps: list[ReviewStep] = []
    seen: set[tuple[str, str]] = set()
    for review in reviews:
        step = ReviewStep(review=review, reasons=list(review.notes))
        steps.append(step)
        found = submissions.get(review.submission_id)
        if found is None:
            step.action = SKIP
            step.reasons.append(
                f"Submission {review.submission_id} is not imported from this file."
            )
            continue
        submission, authors, declared, is_withdrawn = found
        if submission is not None:
            step.number = submission.number
            step.is_hidden = submission.pk in hidden_ids
        try:
            validate_email(review.email)
        except ValidationError:
            step.action = SKIP
            step.reasons.append(
                f"No email address for {review.name or 'the member'} (give the "
                "committee list, committee.csv)."
            )
            continue
        if step.is_hidden:
            step.action = SKIP
            step.reasons = ["A submission you are conflicted with: not shown."]
            continue
        if is_withdrawn:
            step.action = SKIP
            step.reasons.append("The submission is withdrawn.")
            continue
        if (review.submission_id, review.email) in seen:
            step.action = SKIP
            step.reasons.append(
                "A second review by the same member: the first is used."
            )
            continue
        seen.add((review.submission_id, review.email))
        account = accounts.get(review.email)
        step.has_account = account is not None
        why = _conflicted(review.email, authors, declared, public)
        if (
            not why
            and account is not None
            and submission is not None
            and index.is_conflicted(account.pk, submission.pk)
        ):
            why = "conflicted with it here"
        if why:
            step.action = SKIP
            step.reasons.append(f"{review.name or review.email}: {why}.")
            continue
        step.answers, left_out = map_answers(review, questions)
        step.reasons += left_out
        step.written_at = _instant(review.written_at)
        if account is not None and submission is not None:
            assignment = reviewed.get((submission.pk, account.pk))
            current = getattr(assignment, "review", None) if assignment else None
            if current is not None:
                same = all(current.answers.get(k) == v for k, v in step.answers.items())
                step.action = UNCHANGED if same else SKIP
                if not same:
                    step.reasons.append(
                        f"{assignment.pseudonym} already has a different review "  # type: ignore[union-attr]
                        "of it here: kept as it is."
                    )
    return steps
