"""The tag chips a list shows: `tags_by_submission`."""

from collections.abc import Iterable
from typing import Any

from submissions.models import Submission, SubmissionTag, Tag
from submissions.search.compiling import search_submissions


def visible_tags(user: Any, *, blind: bool) -> list[Tag]:
    """The tags the user may see, each with its `saved_search` if automatic."""
    return list(
        Tag.objects.visible_to(user, blind=blind).select_related("saved_search")
    )


def tags_by_submission(
    submission_ids: Iterable[int],
    *,
    user: Any,
    blind: bool,
    tags: list[Tag] | None = None,
) -> dict[int, list[Tag]]:
    """{submission id: tags the user may see on it, by name}. Pass only submissions
    the user may see (and `tags` if the page read `visible_tags` already). Costs
    one query for the tags, one for the hand-put ones and one per automatic tag,
    whatever the number of submissions; none but the first while there are none."""
    ids = list(submission_ids)
    found: dict[int, list[Tag]] = {pk: [] for pk in ids}
    if not ids or not user.is_authenticated:
        return found
    tags = visible_tags(user, blind=blind) if tags is None else tags
    if not tags:
        return found
    by_pk = {tag.pk: tag for tag in tags}
    links = SubmissionTag.objects.filter(submission_id__in=ids, tag_id__in=by_pk)
    for submission_id, tag_id in links.values_list("submission_id", "tag_id"):
        found[submission_id].append(by_pk[tag_id])
    for tag in tags:
        if not hasattr(tag, "saved_search"):
            continue
        result = search_submissions(
            Submission.objects.filter(pk__in=ids),
            tag.saved_search.query,
            user=user,
            blind=blind,
        )
        if result.error is not None:
            continue
        for pk in result.queryset.values_list("pk", flat=True):
            if tag not in found[pk]:
                found[pk].append(tag)
    for shown in found.values():
        shown.sort(key=lambda t: t.name.lower())
    return found
