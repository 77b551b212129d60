"""The dry run of imported reviews (EasyChair's review.csv): which become a
reviewer's assignment and submitted review, which are unchanged, which are
skipped and why. Writes nothing; a fixed number of queries.

Answers are mapped onto the conference's review form where a question matches:
an exported field named like a question's label or key, "overall evaluation"
onto the score question and "reviewer's confidence" onto the confidence
question (the value must be one of the question's choices); the review text
onto the text question for the authors (key "comments", else the first text
question authors read). What matches nothing is reported and left out."""

import re
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
    ReviewQuestion.Kind.SCORE: {
        "overall evaluation",  # EasyChair
        "overall merit",  # HotCRP
        "overall rating",  # CMT
        "overall recommendation",
        "overall",
        "score",
    },
    ReviewQuestion.Kind.CONFIDENCE: {
        "reviewer's confidence",
        "reviewer expertise",
        "confidence",
    },
}
# The text fields of HotCRP's default form (and CMT's usual wording), onto the
# questions of ours.
KEY_ALIASES: dict[str, set[str]] = {
    "summary": {"paper summary"},
    "comments": {
        "comments for authors",
        "comments to the authors",
        "detailed comments",
    },
    "confidential": {
        "confidential remarks for the program committee",  # EasyChair
        "confidential remarks for the programme committee",
        "comments for pc",
        "comments to the chairs",
        "confidential comments to the pc chairs",
        "confidential comments for the pc chairs",
    },
}
# Words that say a field was kept from the authors: it never answers a question
# the authors read, whatever the form calls that question.
NOT_FOR_AUTHORS = (
    "confidential",
    "for pc",
    "for the pc",
    "to the pc",
    "chairs",
    "committee",
)


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


@dataclass
class FieldMap:
    """Where one exported review field goes, the same for every review of the
    file: a question, or nowhere and why. A choice field whose values are not
    all choices of its question is left out of every review, not of some: its
    scale is not the question's (HotCRP's "Overall merit" is 1 to 5, ours -3 to
    3), and the values that happen to fit would mean something else."""

    name: str
    question: ReviewQuestion | None = None
    reason: str = ""
    values: list[str] = field(default_factory=list)  # of a choice question

    @property
    def line(self) -> str:
        """For the dry run: the chair sees how every value will read."""
        if self.question is None:
            return self.reason
        where = f"“{self.name}” → “{self.question.label}”"
        if not self.values:
            return where
        labels = self.question.choice_labels
        read = []
        for value in self.values:
            label = labels[choice_of(self.question, value)]
            same = _plain(value) == _plain(label)  # CMT writes the label itself
            read.append(f"“{label}”" if same else f"{value} as “{label}”")
        return f"{where}: {', '.join(read)}"

    def answer(self, value: str) -> object:
        if self.question is None or not self.values:
            return value  # a text question takes the text as it is
        return choice_of(self.question, value)


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def choice_of(question: ReviewQuestion, value: str) -> object:
    """The choice `value` names, or None: by its value ("2", "+2") or by its
    label ("Weak Accept", as CMT writes a choice), also written "2: Weak
    accept"; never by position, so another scale's values don't fit."""
    wanted = _plain(value)
    for choice, label in question.choices:
        written = str(choice)
        if wanted.lstrip("+") == written.casefold() or wanted == _plain(label):
            return choice
        for separator in (":", ".", ")", " -", " "):
            if wanted == _plain(f"{written}{separator} {label}"):
                return choice
    return None


# A form's own wording of the usual questions (CMT's 'Please provide an
# "overall score" for this submission.', "Confidential comments to SPC, AC,
# and Program Chairs"): found inside a longer name.
_OVERALL = re.compile(r"\boverall (?:score|rating|merit|recommendation|evaluation)\b")


def _matches(name: str, question: ReviewQuestion) -> bool:
    if (
        name in (question.label.lower(), question.key.lower())
        or name in ALIASES.get(question.kind, set())
        or name in KEY_ALIASES.get(question.key, set())
    ):
        return True
    if name.endswith("(as worded)"):
        return False  # the number's column answers it
    if question.key == "confidential":
        return "confidential" in name
    return question.kind == ReviewQuestion.Kind.SCORE and bool(_OVERALL.search(name))


def _left_out(name: str, question: ReviewQuestion | None, seen: set[str]) -> str:
    """Why the field `name` (with the values `seen`) goes to no question, or ""."""
    if question is None or question.kind == ReviewQuestion.Kind.NOMINATIONS:
        return (
            f"No question of the review form matches “{name}”: left out. To "
            f"import it, add a question labelled “{name}” to the review form."
        )
    if (
        any(words in name.strip().lower() for words in NOT_FOR_AUTHORS)
        and question.visibility == ReviewQuestion.Visibility.AUTHORS
    ):
        return f"“{name}” was not for the authors and “{question.label}” is: left out."
    if question.kind == ReviewQuestion.Kind.TEXT:
        return ""
    unfit = sorted(v for v in seen if choice_of(question, v) is None)
    if not unfit:
        return ""
    choices = ", ".join(str(v) for v, _ in question.choices)
    return (
        f"“{name}” has values that are not choices of “{question.label}” "
        f"({', '.join(unfit)}; its choices are {choices}): left out of every "
        "review. Give the question the same choices to import it."
    )


def map_fields(
    reviews: list[ImportedReview], questions: list[ReviewQuestion]
) -> dict[str, FieldMap]:
    """Every field the reviews have, by its exported name, and where it goes."""
    values: dict[str, set[str]] = {}
    for review in reviews:
        for name, value in review.scores.items():
            seen = values.setdefault(name, set())
            if value.strip():  # an empty cell is no answer
                seen.add(value.strip())
    found: dict[str, FieldMap] = {}
    taken: dict[int, str] = {}  # question pk: the field that answers it
    for name, seen in values.items():
        wanted = name.strip().lower()
        question = next((q for q in questions if _matches(wanted, q)), None)
        reason = _left_out(name, question, seen)
        if not reason and question is not None and question.pk in taken:
            # Two fields for one question: the first answers it, always the
            # same one, rather than whichever a review happens to list last.
            reason = (
                f"“{name}” and “{taken[question.pk]}” both match "
                f"“{question.label}”: “{taken[question.pk]}” is imported, "
                f"“{name}” left out."
            )
        if reason or question is None:
            found[name] = FieldMap(name=name, reason=reason)
        elif question.kind == ReviewQuestion.Kind.TEXT:
            taken[question.pk] = name
            found[name] = FieldMap(name=name, question=question)
        else:  # a choice question: each value as the chair will see it read
            taken[question.pk] = name
            order = [v for v, _ in question.choices]
            read = sorted(seen, key=lambda v: (order.index(choice_of(question, v)), v))
            found[name] = FieldMap(name=name, question=question, values=read)
    return found


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
    review: ImportedReview,
    fields: dict[str, FieldMap],
    text_question: ReviewQuestion | None,
) -> tuple[dict[str, object], list[str]]:
    """(answers by question key, what was left out and why). A field that goes
    nowhere is said once, in the list of fields (`FieldMap.line`), not again
    for each review."""
    answers: dict[str, object] = {}
    reasons: list[str] = []
    for name, value in review.scores.items():
        mapped = fields[name]
        if value.strip() and mapped.question is not None:
            answers[mapped.question.key] = mapped.answer(value.strip())
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
) -> tuple[list[ReviewStep], list[str]]:
    """The steps, and a line for each exported field saying where it goes.

    `submissions`: {their submission id: (the existing submission or None if
    it is to be created, author emails, declared conflicts, is withdrawn)} for the
    submissions the import creates or keeps (skipped ones are left out)."""
    questions = _questions(conference)
    fields = map_fields(reviews, questions)
    text_question = _text_question(questions)
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
        step.answers, left_out = map_answers(review, fields, text_question)
        step.reasons += left_out
        if not step.answers:
            # Nothing of it answers a question here: an empty review, submitted,
            # would count as done and say nothing.
            step.action = SKIP
            step.reasons.append(
                f"{review.name or review.email}: nothing in this review answers "
                "a question of the review form (see the fields above): not "
                "imported."
            )
            continue
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
    return steps, [mapped.line for mapped in fields.values()]
