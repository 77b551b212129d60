"""Imported meta-reviews (EasyChair's metareview.csv): the dry run says which
become a submission's meta-review, which replace one imported before, which are
unchanged and which are skipped, and why; the import writes them through
`decisions.meta_reviews.save_meta_review` as the importing chair.

The text is the meta-review to the authors; the note to the chairs says where it
came from (who wrote it there, when, their recommendation). A meta-review
written here (its note does not start with IMPORTED) is kept as it is; one
imported before is replaced when the file says otherwise. Importing the same
file again changes nothing."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from decisions.meta_reviews import MAX_LENGTH, save_meta_review
from decisions.models import MetaReview
from exchange.imports.records import ImportedMetaReview
from exchange.models import ImportedSubmission
from haet.models import User
from submissions.models import Submission

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"
IMPORTED = "Imported from "
MAX_NOTE = MetaReview._meta.get_field("note_to_chairs").max_length or 5000


@dataclass
class MetaReviewStep:
    meta_review: ImportedMetaReview
    action: str = CREATE
    reasons: list[str] = field(default_factory=list)
    number: int | None = None  # an existing submission
    is_hidden: bool = False  # one the viewing chair is conflicted with
    to_authors: str = ""
    note_to_chairs: str = ""


def note_for(meta_review: ImportedMetaReview, *, source: str) -> str:
    label = dict(ImportedSubmission.Source.choices)[source]
    parts = [f"{IMPORTED}{label}: meta-review {meta_review.source_id}".rstrip()]
    if meta_review.name:
        parts.append(f"by {meta_review.name}")
    if meta_review.written_at:
        parts.append(f"of {meta_review.written_at}")
    note = " ".join(parts) + "."
    if meta_review.recommendation:
        note += f" Recommendation: {meta_review.recommendation}."
    if meta_review.for_chairs.strip():
        note += f"\n\nFor the chairs only: {meta_review.for_chairs.strip()}"
    if len(note) > MAX_NOTE:
        cut = " … (cut here: the rest is in the exported file)"
        note = note[: MAX_NOTE - len(cut)].rstrip() + cut
    return note


def plan_meta_reviews(
    meta_reviews: list[ImportedMetaReview],
    *,
    source: str,
    submissions: dict[str, tuple[Submission | None, bool]],
    hidden_ids: frozenset[int] = frozenset(),
) -> list[MetaReviewStep]:
    """`submissions`: {their submission id: (the existing submission or None if
    it is to be created, is withdrawn)} for the submissions the import creates or
    keeps. Writes nothing; one query."""
    existing = [s.pk for s, _ in submissions.values() if s is not None]
    current = {
        m.submission_id: m
        for m in MetaReview.objects.filter(submission_id__in=existing)
    }
    steps: list[MetaReviewStep] = []
    seen: set[str] = set()
    for imported in meta_reviews:
        step = MetaReviewStep(meta_review=imported, reasons=list(imported.notes))
        steps.append(step)
        found = submissions.get(imported.submission_id)
        if found is None:
            step.action = SKIP
            step.reasons.append(
                f"Submission {imported.submission_id} is not imported from this file."
            )
            continue
        submission, is_withdrawn = found
        if submission is not None:
            step.number = submission.number
            step.is_hidden = submission.pk in hidden_ids
        step.action, why = _action(
            step, submission=submission, is_withdrawn=is_withdrawn, seen=seen
        )
        if why:
            step.reasons.append(why)
        if step.action == SKIP:
            continue
        step.to_authors = imported.text.replace("\r\n", "\n").strip()
        step.note_to_chairs = note_for(imported, source=source)
        here = current.get(submission.pk) if submission is not None else None
        if here is None:
            continue
        if (here.to_authors, here.note_to_chairs) == (
            step.to_authors,
            step.note_to_chairs,
        ):
            step.action = UNCHANGED
        elif not here.note_to_chairs.startswith(IMPORTED):
            step.action = SKIP
            step.reasons.append("A meta-review written here: kept as it is.")
        else:
            step.action = UPDATE
            step.reasons.append("Replaces the meta-review imported before.")
    return steps


def _action(
    step: MetaReviewStep,
    *,
    submission: Submission | None,
    is_withdrawn: bool,
    seen: set[str],
) -> tuple[str, str]:
    imported = step.meta_review
    if step.is_hidden:
        step.reasons = []
        return SKIP, "A submission you are conflicted with: not shown."
    if is_withdrawn:
        return SKIP, "The submission is withdrawn."
    if imported.submission_id in seen:
        return SKIP, "A second meta-review of the same submission: the first is used."
    seen.add(imported.submission_id)
    text = imported.text.strip()
    if not text:
        return SKIP, "No text for the authors."
    if len(text) > MAX_LENGTH:
        return SKIP, f"Longer than {MAX_LENGTH} characters."
    return CREATE, ""


@dataclass
class MetaReviewResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # why, one a meta-review

    def summary(self) -> str:
        return (
            f"Meta-reviews: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped."
        )


def apply_meta_reviews(
    steps: list[MetaReviewStep], *, source: str, by: User
) -> MetaReviewResult:
    """Runs inside `applying.apply_plan`'s transaction, after the submissions.
    Side effects: the meta-reviews (written by `by`, the importing chair)."""
    result = MetaReviewResult(
        unchanged=sum(1 for s in steps if s.action == UNCHANGED),
        skipped=[
            f"{s.meta_review.source_id}: {' '.join(s.reasons)}"
            for s in steps
            if s.action == SKIP
        ],
    )
    todo = [s for s in steps if s.action in (CREATE, UPDATE)]
    by_source = {
        row.source_id: row.submission
        for row in ImportedSubmission.objects.filter(
            source=source, source_id__in={s.meta_review.submission_id for s in todo}
        ).select_related("submission")
    }
    for step in todo:
        where = step.meta_review.source_id
        submission = by_source.get(step.meta_review.submission_id)
        if submission is None:
            result.skipped.append(f"{where}: the submission is gone.")
            continue
        try:
            save_meta_review(
                submission,
                to_authors=step.to_authors,
                note_to_chairs=step.note_to_chairs,
                by=by,
            )
        except PermissionDenied:
            result.skipped.append(f"{where}: you may not write its meta-review.")
            continue
        except ValidationError as refused:
            result.skipped.append(f"{where}: {' '.join(refused.messages)}")
            continue
        if step.action == CREATE:
            result.created += 1
        else:
            result.updated += 1
    return result
