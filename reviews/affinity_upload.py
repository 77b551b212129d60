"""Writes of uploaded affinity scores (a chair's CSV)."""

import csv
import io
import logging

import numpy as np
from django.db import transaction

from haet import clock
from haet.models import User
from haet.textfiles import likely_delimiter
from reviews import conflicts
from reviews.models import (
    AffinityScore,
)
from reviews.queries import visible_to
from submissions.models import Submission

logger = logging.getLogger(__name__)


# --- affinity upload -----------------------------------------------------------------
@transaction.atomic
def upload_affinity(text: str, *, by: User) -> dict:
    """Replace the uploaded affinity scores with a CSV: `submission,reviewer,score`
    where submission is the paper number and reviewer an email address (a header
    row is optional; cells split by commas, tabs or semicolons). Returns
    {"count": n, "errors": [line messages]}; nothing is stored when any line is
    wrong.

    The chair `by` shapes only what they may see: a row about a submission they
    are conflicted with is refused in the words used for a number that does not
    exist, and the scores of those submissions (uploaded by another chair) are
    neither replaced nor removed."""
    hidden = conflicts.conflicted_submission_ids(by)
    numbers = dict(
        Submission.objects.exclude(pk__in=hidden).values_list("number", "pk")
    )
    unknown = " (or one you are conflicted with)" if hidden else ""
    emails = {e.lower(): pk for pk, e in User.objects.values_list("pk", "email")}
    rows, errors, seen = [], [], set()
    # Commas, or the tabs of rows pasted from a spreadsheet, or the semicolons
    # (with decimal commas: "0,75") of Excel's CSV in continental Europe.
    delimiter = likely_delimiter(text)
    try:
        # newline="": a lone CR ends a line too (Excel for Mac's "CSV (Macintosh)").
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:  # a cell over the csv module's size limit
        return {"count": 0, "errors": [f"The file cannot be read as CSV: {error}."]}
    for line_number, row in enumerate(lines, start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 3:
            errors.append(f"Line {line_number}: expected submission,reviewer,score.")
            continue
        number, email, score = (cell.strip() for cell in row[:3])
        if line_number == 1 and not number.lstrip("#").isdigit():
            continue  # a header
        try:
            submission_id = numbers[int(number.lstrip("#"))]
        except (ValueError, KeyError):
            errors.append(f"Line {line_number}: no submission #{number}{unknown}.")
            continue
        reviewer_id = emails.get(email.lower())
        if reviewer_id is None:
            errors.append(f"Line {line_number}: no account {email}.")
            continue
        if delimiter != "," and "," in score and "." not in score:
            score = score.replace(",", ".")
        try:
            value = float(score)
            if not np.isfinite(value):
                raise ValueError
        except ValueError:
            errors.append(f"Line {line_number}: {score!r} is not a number.")
            continue
        if (submission_id, reviewer_id) in seen:
            errors.append(f"Line {line_number}: the pair appears twice.")
            continue
        seen.add((submission_id, reviewer_id))
        rows.append((submission_id, reviewer_id, value))
    if errors:
        return {"count": 0, "errors": errors}
    now = clock.now()
    visible_to(
        AffinityScore.objects.filter(source=AffinityScore.Source.UPLOADED), by
    ).delete()
    AffinityScore.objects.bulk_create(
        AffinityScore(
            submission_id=s,
            reviewer_id=r,
            score=v,
            source=AffinityScore.Source.UPLOADED,
            updated_at=now,
        )
        for s, r, v in rows
    )
    logger.info("affinity: %s uploaded scores by %s", len(rows), by)
    return {"count": len(rows), "errors": []}
