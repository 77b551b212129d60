"""Tags and saved searches: the only code that writes them.

Chairs manage them (the view checks `haet.manage_conference`); a private tag or a
saved search that is not shared belongs to its owner alone. Reviewers only ever see
tags marked for reviewers, on submissions they may see.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from haet import clock
from haet.audit.registry import record_created
from haet.models import Conference, User
from submissions.models import SavedSearch, Submission, SubmissionTag, Tag
from submissions.search import SearchError, search_submissions
from submissions.search.compiling import compile_query
from submissions.search.registry import Context


def may_change_tag(user: User, tag: Tag) -> bool:
    return tag.visibility != Tag.Visibility.PRIVATE or tag.owner_id == user.pk


def _check_tag(tag: Tag, *, by: User) -> None:
    if not may_change_tag(by, tag):
        raise PermissionDenied("This private tag is someone else's.")


def _save_tag(tag: Tag) -> Tag:
    tag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError as error:
        raise ValidationError(
            {"name": f"There is already a tag “{tag.name}”."}
        ) from error
    return tag


def create_tag(
    conference: Conference, *, name: str, colour: str, visibility: str, by: User
) -> Tag:
    """A new tag owned by `by`. Raises ValidationError on a bad or taken name."""
    tag = Tag(
        conference=conference,
        name=name.strip().lstrip("#"),
        colour=colour,
        visibility=visibility,
        owner=by,
    )
    return _save_tag(tag)


def update_tag(tag: Tag, *, colour: str, visibility: str, by: User) -> Tag:
    """Change colour and who sees the tag. An automatic tag shown to reviewers must
    come from a search reviewers could run themselves."""
    _check_tag(tag, by=by)
    tag.colour, tag.visibility = colour, visibility
    saved = SavedSearch.objects.filter(auto_tag=tag).first()
    if saved is not None:
        check_query(saved.query, user=saved.owner, auto_tag=tag)
    return _save_tag(tag)


def delete_tag(tag: Tag, *, by: User) -> None:
    """Delete the tag and its links; a search it was automatic for keeps running."""
    _check_tag(tag, by=by)
    tag.delete()


def _manual(tag: Tag) -> None:
    if SavedSearch.objects.filter(auto_tag=tag).exists():
        raise ValidationError(
            f"#{tag.name} is automatic: it follows its saved search, so it cannot be "
            "added or removed by hand."
        )


@transaction.atomic
def tag_submissions(
    tag: Tag, submissions: Iterable[Submission] | QuerySet, *, by: User
) -> int:
    """Put the tag on the submissions (idempotent); returns how many were new."""
    _check_tag(tag, by=by)
    _manual(tag)
    ids = [s.pk for s in submissions]
    had = set(
        SubmissionTag.objects.filter(tag=tag, submission_id__in=ids).values_list(
            "submission_id", flat=True
        )
    )
    now = clock.now()
    SubmissionTag.objects.bulk_create(
        [
            SubmissionTag(submission_id=pk, tag=tag, added_by=by, added_at=now)
            for pk in ids
        ],
        ignore_conflicts=True,
    )
    new = list(SubmissionTag.objects.filter(tag=tag, submission_id__in=set(ids) - had))
    for link in new:
        link.tag = tag  # the log reads whether the tag is private: no query per link
    record_created(new)
    return len(new)


@transaction.atomic
def untag_submissions(
    tag: Tag, submissions: Iterable[Submission] | QuerySet, *, by: User
) -> int:
    """Take the tag off the submissions; returns how many had it."""
    _check_tag(tag, by=by)
    _manual(tag)
    ids = [s.pk for s in submissions]
    removed, _ = SubmissionTag.objects.filter(tag=tag, submission_id__in=ids).delete()
    return removed


def bulk_tag(
    tag: Tag, queryset: QuerySet, query: str, *, by: User, remove: bool = False
) -> int:
    """Tag (or untag) every submission of `queryset` (what `by` may see) that the
    query finds. Raises ValidationError with the search's message on a bad query."""
    result = search_submissions(queryset, query, user=by, blind=False)
    if result.error is not None:
        raise ValidationError(str(result.error))
    change = untag_submissions if remove else tag_submissions
    return change(tag, result.queryset.only("pk"), by=by)


def check_query(query: str, *, user: User, auto_tag: Tag | None = None) -> None:
    """Raise ValidationError unless a chair can run the query; for an automatic
    tag reviewers see, unless reviewers could run it too (it must not reveal what
    they may not search for)."""
    modes = [False]
    if auto_tag is not None and auto_tag.visibility == Tag.Visibility.REVIEWERS:
        modes.append(True)
    for blind in modes:
        try:
            compile_query(query, Context(user=user, blind=blind))
        except SearchError as error:
            if blind:
                raise ValidationError(
                    f"#{auto_tag.name} is shown to reviewers, so its search must be "  # type: ignore[union-attr]
                    f"one reviewers may run: {error}"
                ) from error
            raise ValidationError(str(error)) from error


@transaction.atomic
def save_search(
    conference: Conference,
    *,
    name: str,
    query: str,
    shared: bool,
    auto_tag: Tag | None,
    by: User,
    saved: SavedSearch | None = None,
) -> SavedSearch:
    """Create (or change, when `saved` is given) a saved search. Raises
    ValidationError for a bad query or a tag already automatic elsewhere."""
    if saved is not None and saved.owner_id != by.pk and not saved.shared:
        raise PermissionDenied("This saved search is someone else's.")
    check_query(query, user=by, auto_tag=auto_tag)
    if auto_tag is not None:
        _check_tag(auto_tag, by=by)
        taken = SavedSearch.objects.filter(auto_tag=auto_tag)
        if saved is not None:
            taken = taken.exclude(pk=saved.pk)
        if taken.exists():
            raise ValidationError(
                f"#{auto_tag.name} is already the automatic tag of “{taken[0].name}”."
            )
    saved = saved or SavedSearch(conference=conference, owner=by)
    saved.name, saved.query, saved.shared, saved.auto_tag = (
        name.strip(),
        query.strip(),
        shared,
        auto_tag,
    )
    saved.full_clean()
    saved.save()
    return saved


def delete_saved_search(saved: SavedSearch, *, by: User) -> None:
    if saved.owner_id != by.pk and not saved.shared:
        raise PermissionDenied("This saved search is someone else's.")
    saved.delete()
