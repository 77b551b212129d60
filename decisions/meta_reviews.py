"""Meta-reviews: who writes them, the writes, and what authors and chairs read.

Permissions (object: a Submission with `area_chair_assignment` selected):
- decisions.write_meta_review: a chair not conflicted with the submission; or,
  when the chairs enable area chairs (`AreaChairSettings.is_enabled`), the
  submission's area chair (not conflicted, submission live).
- decisions.manage_meta_reviews (no object): chairs (the list, the setting).

Authors read `MetaReview.to_authors` with the reviews once the decision is
released (`decisions.read_outcome`); `note_to_chairs` never reaches them.
"""

import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from decisions.meta_review_mails import queue_meta_review_updated
from decisions.models_meta import MetaReview, MetaReviewSettings
from haet import clock
from haet.models import Conference, User
from haet.rules import is_chair, is_unconflicted_chair
from reviews.area_chairs import area_chair_settings, is_active_area_chair
from submissions.models import Submission

MAX_LENGTH = 5000


@rules.predicate
def area_chairs_enabled(
    user: User | AnonymousUser, submission: Submission | None
) -> bool:
    if submission is None:
        return False
    return area_chair_settings(submission.conference).is_enabled


rules.add_perm(
    "decisions.write_meta_review",
    is_unconflicted_chair | (is_active_area_chair & area_chairs_enabled),
)
rules.add_perm("decisions.manage_meta_reviews", is_chair)


def meta_review_of(submission: Submission) -> MetaReview | None:
    try:
        return submission.meta_review
    except MetaReview.DoesNotExist:
        return None


def meta_review_settings(conference: Conference) -> MetaReviewSettings:
    return MetaReviewSettings.objects.for_conference(conference)


def text_for_authors(submission: Submission) -> str:
    """What `{{ meta_review }}` says in the decision mails: "" when none."""
    return MetaReview.objects.text_for_authors(submission.pk)


def missing_meta_review_ids(conference: Conference, decided_ids: list[int]) -> set[int]:
    """Of the decided submissions, those without a meta-review, when the chairs
    require one (else none). Two queries."""
    if not decided_ids or not meta_review_settings(conference).is_required:
        return set()
    written = set(
        MetaReview.objects.filter(submission_id__in=decided_ids).values_list(
            "submission_id", flat=True
        )
    )
    return set(decided_ids) - written


# --- writes ------------------------------------------------------------------------
@transaction.atomic
def save_meta_review(
    submission: Submission, *, to_authors: str, note_to_chairs: str = "", by: User
) -> MetaReview:
    """Write or rewrite the submission's meta-review.
    Raises PermissionDenied when `by` may not (the views answer 404 first) and
    ValidationError for an empty or over-long text. Side effects: when the text
    to the authors changes, a new `revision`; when it is written or changes
    after the decision was released, one mail to each author
    (decisions.meta_review_mails; before release, the decision mail reads it
    when it is sent). The same text saved again mails nobody."""
    if not by.has_perm("decisions.write_meta_review", submission):
        raise PermissionDenied(f"There is no submission #{submission.number}.")
    to_authors = to_authors.replace("\r\n", "\n").strip()
    note_to_chairs = note_to_chairs.replace("\r\n", "\n").strip()
    errors = {}
    if not to_authors:
        errors["to_authors"] = "Write the meta-review to the authors."
    elif len(to_authors) > MAX_LENGTH:
        errors["to_authors"] = f"At most {MAX_LENGTH} characters."
    if len(note_to_chairs) > MAX_LENGTH:
        errors["note_to_chairs"] = f"At most {MAX_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    # Locked: two saves of one meta-review are judged "changed" one after the other.
    previous = (
        MetaReview.objects.select_for_update()
        .filter(submission=submission)
        .values_list("to_authors", "revision")
        .first()
    )
    # A first text is a change too: written after the release, the authors
    # read it from now on, so they are told as of any later edit.
    changed = previous is None or previous[0] != to_authors
    revision = 1 if previous is None else previous[1] + int(changed)
    meta_review, _ = MetaReview.objects.update_or_create(
        submission=submission,
        defaults={
            "to_authors": to_authors,
            "note_to_chairs": note_to_chairs,
            "written_by": by,
            "written_at": clock.now(),
            "revision": revision,
        },
    )
    if changed:
        queue_meta_review_updated(meta_review)
    return meta_review


@transaction.atomic
def set_meta_review_required(
    conference: Conference, *, is_required: bool, by: User
) -> MetaReviewSettings:
    if not is_chair(by):
        raise PermissionDenied("Only chairs change this.")
    found = meta_review_settings(conference)
    found.is_required = is_required
    found.save(update_fields=["is_required", "updated_at"])
    return found
