"""Shortlists and judging: the chairs' shortlist changes, the jurors' scores and
ranks.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from awards.categories import require_chair
from awards.models import AwardSettings, Judgement, ShortlistChange
from awards.queries import is_eligible, jury_shortlist
from awards.rules import is_juror
from haet import clock
from haet.models import AwardCategory, User
from submissions.models import Submission


@transaction.atomic
def change_shortlist(
    award: AwardCategory, submission: Submission, *, action: str, by: User
) -> ShortlistChange:
    """A chair adds an eligible paper to the shortlist or removes one."""
    require_chair(by)
    if action not in ShortlistChange.Action.values:
        raise ValidationError(f"Unknown shortlist action {action!r}.")
    if action == ShortlistChange.Action.ADD and not is_eligible(award, submission):
        raise ValidationError(f"#{submission.number} is not eligible for {award}.")
    change, _ = ShortlistChange.objects.update_or_create(
        award=award,
        submission=submission,
        defaults={"action": action, "changed_by": by, "changed_at": clock.now()},
    )
    return change


# --- judging -----------------------------------------------------------------------
def _check_juror(
    award: AwardCategory, submission_ids: Iterable[int], juror: User
) -> None:
    if not is_juror(juror, award):
        raise PermissionDenied("Only the award's jurors judge it.")
    if AwardSettings.objects.for_award(award).is_announced:
        raise ValidationError("The award is announced: judging is closed.")
    visible = {c.submission_id for c in jury_shortlist(award, juror)}
    if not set(submission_ids) <= visible:
        # Not shortlisted, or conflicted: the same answer for both.
        raise PermissionDenied("This paper is not on your shortlist.")


@transaction.atomic
def score_submission(
    award: AwardCategory,
    submission: Submission,
    *,
    score: int | None,
    comment: str = "",
    by: User,
) -> Judgement:
    """A juror scores (1-10) and comments on a shortlisted paper they are not
    conflicted with. Scoring again replaces the score."""
    _check_juror(award, [submission.pk], by)
    judgement, _ = Judgement.objects.get_or_create(
        award=award, submission=submission, juror=by
    )
    judgement.score = score
    judgement.comment = comment.strip()
    judgement.full_clean()
    judgement.save()
    return judgement


@transaction.atomic
def rank_submissions(
    award: AwardCategory,
    ranks: dict[int, int | None],
    *,
    comments: dict[int, str] | None = None,
    by: User,
) -> list[Judgement]:
    """A juror's ballot: submission id -> rank (1 = best; None = not ranked).
    Ranks must be 1, 2, ... without gaps or repeats. Replaces the juror's ranks."""
    comments = comments or {}
    _check_juror(award, set(ranks) | set(comments), by)
    given = sorted(r for r in ranks.values() if r is not None)
    if given != list(range(1, len(given) + 1)):
        raise ValidationError(
            "Rank the papers 1, 2, 3 … with each rank used once (leave a paper "
            "blank to not rank it)."
        )
    Judgement.objects.filter(award=award, juror=by).update(rank=None)
    saved = []
    for submission_id in sorted(set(ranks) | set(comments)):
        judgement, _ = Judgement.objects.get_or_create(
            award=award, submission_id=submission_id, juror=by
        )
        judgement.rank = ranks.get(submission_id)
        if submission_id in comments:
            judgement.comment = comments[submission_id].strip()
        judgement.save()
        saved.append(judgement)
    return saved
