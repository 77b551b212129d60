"""A submission's author list, and linking author lines to accounts."""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.urls import reverse

from haet.audit.registry import record
from haet.models import User
from haet.outbox.services import queue_mail
from submissions.models import Author, Submission
from submissions.orcid import normalize_orcid


def _verified_users(emails: Iterable[str]) -> dict[str, User]:
    query = Q(pk__in=[])
    for email in emails:
        query |= Q(email__iexact=email)
    addresses = EmailAddress.objects.filter(query, verified=True).select_related("user")
    return {address.email.lower(): address.user for address in addresses}


def save_authors(submission: Submission, authors: list[dict], *, by: User) -> None:
    """Make the author list exactly `authors`, in order, keyed by email. New
    co-authors get an email; verified accounts are linked at once."""
    existing = {a.email.lower(): a for a in submission.authors.all()}
    wanted = [{**a, "email": a["email"].strip().lower()} for a in authors]
    keep = {a["email"] for a in wanted}
    gone = [a.pk for email, a in existing.items() if email not in keep]
    if gone:
        Author.objects.filter(pk__in=gone).delete()
    users = _verified_users(keep)
    for order, data in enumerate(wanted):
        author = existing.get(data["email"])
        is_new = author is None
        if author is None:
            author = Author(submission=submission, email=data["email"])
        author.order = order
        author.name = data["name"].strip()
        author.affiliation = (data.get("affiliation") or "").strip()
        author.orcid = normalize_orcid(data.get("orcid") or "")
        author.user = users.get(data["email"], author.user)
        author.save()
        if is_new and data["email"] != by.email.lower():
            _notify_coauthor(submission, author, by=by)


def _notify_coauthor(submission: Submission, author: Author, *, by: User) -> None:
    queue_mail(
        to=author.user or author.email,
        template="submission_coauthor",
        context={
            "submission_number": submission.number,
            "title": submission.title,
            "author_name": author.name,
            "added_by": by.display_name,
            "email": author.email,
            "path": reverse("submissions:detail", args=[submission.number]),
        },
        dedupe_key=f"coauthor:{submission.pk}:{author.email}",
        submissions=[submission],
    )


def link_authors(user: User) -> int:
    """Give `user` the author lines listed under their verified addresses.
    Called on login and on email confirmation; returns how many were linked."""
    emails = [
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]
    if not emails:
        return 0
    lines = Author.objects.filter(user__isnull=True, email__in=emails)
    linked = list(lines.values_list("pk", "submission_id"))
    count = lines.update(user=user)
    for pk, submission_id in linked:  # update() sends no signal: log each line
        record(
            "author.linked",
            object_type_="submissions.author",
            object_id=pk,
            submission_id=submission_id,
            before={"user": None},
            after={"user": user.pk},
        )
    return count
