"""Custom fields as mail placeholders: `{{ field.<slug> }}`.

The composer offers `field_placeholders(conference, audience=...)` and fills them
with `field_values(submission_ids, audience=...)`. The audience decides which
fields exist for it: "authors" every active field (their own answers),
"reviewers" only the fields shown to reviewers. Anything else gets nothing.
"""

from collections.abc import Iterable

from haet.models import Conference
from submissions.models import FieldAnswer, Submission, SubmissionField
from submissions.models.fields import SubmissionFieldQuerySet

AUDIENCES = ("authors", "reviewers")


def _fields(audience: str) -> SubmissionFieldQuerySet:
    if audience not in AUDIENCES:
        return SubmissionField.objects.none()
    return SubmissionField.objects.shown_to(audience)


def field_placeholders(conference: Conference, *, audience: str) -> list[str]:
    """["field.student_author", ...]: the placeholders `audience` may use, in the
    form's order. One query."""
    return [
        f"field.{slug}"
        for slug in _fields(audience)
        .for_conference(conference)
        .values_list("slug", flat=True)
    ]


def field_values(
    submission_ids: Iterable[int], *, audience: str
) -> dict[int, dict[str, str]]:
    """{submission id: {"field.<slug>": answer as text}} for every placeholder of
    `audience` ("" when a submission did not answer). One query for the fields,
    one for the answers, whatever the number of submissions."""
    ids = list(submission_ids)
    if not ids:
        return {}
    fields = list(
        _fields(audience)
        .filter(
            conference__in=Submission.objects.filter(pk__in=ids).values("conference")
        )
        .values_list("pk", "slug")
    )
    empty = {f"field.{slug}": "" for _, slug in fields}
    found = {pk: dict(empty) for pk in ids}
    slugs = dict(fields)
    rows = FieldAnswer.objects.filter(
        submission_id__in=ids, field_id__in=slugs
    ).values_list("submission_id", "field_id", "text")
    for submission_id, field_id, text in rows:
        found[submission_id][f"field.{slugs[field_id]}"] = text
    return found
