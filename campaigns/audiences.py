"""Who a campaign can go to: a small registry of recipient kinds.

Each kind says whom it finds, which audience they are (what the blind rules of
`campaigns.placeholders` allow their mail to name) and whether one mail is about
one submission (`{{ submission.* }}`) or lists several (`{{ submissions }}`).
Kinds that start from submissions read only the submissions the search found
among those the chair may see (`Submission.objects.visible_to`), so a chair
conflicted with a submission can never target it or its people.

A finder returns `Recipient`s in a stable order, each under a `key` unique in the
campaign (the outbox dedupe key is `campaign:<pk>:<key>`). Finders read in a fixed
number of queries, however many people they find.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from awards.models import AwardSettings
from haet.models import User
from haet.rules import CHAIRS, REVIEWERS
from reviews.models import Assignment, Invitation, Review
from submissions.models import Author, Submission

AUTHORS = "authors"
REVIEWERS_AUDIENCE = "reviewers"
COMMITTEE = "committee"
AUDIENCE_LABELS = {
    AUTHORS: "authors",
    REVIEWERS_AUDIENCE: "reviewers",
    COMMITTEE: "the programme committee",
}


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str
    email: str
    user: User | None
    # What the mail is about, in number order: one for a per-submission kind.
    submissions: tuple[Submission, ...] = field(default=())

    @property
    def submission(self) -> Submission | None:
        return self.submissions[0] if len(self.submissions) == 1 else None


Finder = Callable[["QuerySet[Submission] | None"], list[Recipient]]


@dataclass(frozen=True)
class RecipientKind:
    key: str
    label: str
    audience: str
    find: Finder
    noun: str  # "5 mails to <noun>"
    uses_search: bool = True
    per_submission: bool = False  # one mail per submission, {{ submission.* }}


_KINDS: dict[str, RecipientKind] = {}


def register_recipients(kind: RecipientKind) -> None:
    _KINDS[kind.key] = kind


def recipient_kinds() -> list[RecipientKind]:
    return list(_KINDS.values())


def recipient_kind(key: str) -> RecipientKind | None:
    return _KINDS.get(key)


def _email(text: str) -> str:
    return text.strip().lower()


def _with_authors(submissions: QuerySet[Submission]) -> list[Submission]:
    return list(
        submissions.select_related("contact")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=Author.objects.select_related("user").order_by("order", "pk"),
            )
        )
        .order_by("number")
    )


def _people_of(submission: Submission) -> list[tuple[str, str, User | None]]:
    """(email, name, user) of every author and the contact, once each by email."""
    found: dict[str, tuple[str, str, User | None]] = {}
    for author in submission.authors.all():
        email = _email(author.email)
        name = author.name or (author.user.display_name if author.user else "")
        found.setdefault(email, (email, name or email, author.user))
    contact = submission.contact
    email = _email(contact.email)
    found.setdefault(email, (email, contact.display_name, contact))
    return list(found.values())


def authors_per_submission(submissions: QuerySet[Submission] | None) -> list[Recipient]:
    if submissions is None:
        return []
    return [
        Recipient(f"{s.pk}:{email}", name, email, user, (s,))
        for s in _with_authors(submissions)
        for email, name, user in _people_of(s)
    ]


def _grouped(
    rows: Iterable[tuple[str, str, User | None, Submission]],
) -> list[Recipient]:
    """One recipient per email, with every submission of theirs in number order."""
    people: dict[str, tuple[str, User | None, list[Submission]]] = {}
    for email, name, user, submission in rows:
        entry = people.setdefault(email, (name, user, []))
        if submission not in entry[2]:
            entry[2].append(submission)
    return [
        Recipient(
            email, name, email, user, tuple(sorted(found, key=lambda s: s.number))
        )
        for email, (name, user, found) in sorted(people.items())
    ]


def authors_per_person(submissions: QuerySet[Submission] | None) -> list[Recipient]:
    if submissions is None:
        return []
    return _grouped(
        (email, name, user, s)
        for s in _with_authors(submissions)
        for email, name, user in _people_of(s)
    )


def _reviewers_of(assignments: QuerySet[Assignment]) -> list[Recipient]:
    return _grouped(
        (_email(a.reviewer.email), a.reviewer.display_name, a.reviewer, a.submission)
        for a in assignments.select_related("reviewer", "submission").order_by(
            "submission__number", "pseudonym_index"
        )
    )


def reviewers(submissions: QuerySet[Submission] | None) -> list[Recipient]:
    if submissions is None:
        return []
    return _reviewers_of(Assignment.objects.filter(submission__in=submissions))


def missing_reviews(submissions: QuerySet[Submission] | None) -> list[Recipient]:
    if submissions is None:
        return []
    done = Review.objects.filter(state=Review.State.SUBMITTED).values("assignment")
    return _reviewers_of(
        Assignment.objects.filter(submission__in=submissions).exclude(pk__in=done)
    )


def _people(users: QuerySet[User]) -> list[Recipient]:
    return [
        Recipient(_email(u.email), u.display_name, _email(u.email), u)
        for u in users.distinct().order_by("email")
    ]


def jurors(submissions: QuerySet[Submission] | None) -> list[Recipient]:
    juries = AwardSettings.objects.values("jury")
    return _people(User.objects.filter(pk__in=juries, is_active=True))


def committee(submissions: QuerySet[Submission] | None) -> list[Recipient]:
    return _people(
        User.objects.filter(
            Q(groups__name=REVIEWERS) | Q(groups__name=CHAIRS), is_active=True
        )
    )


def invitees(submissions: QuerySet[Submission] | None) -> list[Recipient]:
    return [
        Recipient(
            _email(invitation.email),
            invitation.name or invitation.email,
            _email(invitation.email),
            invitation.user,
        )
        for invitation in Invitation.objects.pending()
        .select_related("user")
        .order_by("email")
    ]


for _kind in (
    RecipientKind(
        "authors",
        "Authors of the matching submissions: one mail per submission",
        AUTHORS,
        authors_per_submission,
        "authors",
        per_submission=True,
    ),
    RecipientKind(
        "authors-person",
        "Authors of the matching submissions: one mail per person",
        AUTHORS,
        authors_per_person,
        "authors",
    ),
    RecipientKind(
        "reviewers",
        "Reviewers of the matching submissions: one mail per reviewer",
        REVIEWERS_AUDIENCE,
        reviewers,
        "reviewers",
    ),
    RecipientKind(
        "missing-reviews",
        "Reviewers with a missing review of a matching submission",
        REVIEWERS_AUDIENCE,
        missing_reviews,
        "reviewers with a missing review",
    ),
    RecipientKind(
        "jurors", "Award jurors", COMMITTEE, jurors, "jurors", uses_search=False
    ),
    RecipientKind(
        "committee",
        "The whole programme committee (reviewers and chairs)",
        COMMITTEE,
        committee,
        "committee members",
        uses_search=False,
    ),
    RecipientKind(
        "invitees",
        "Invited reviewers who have not answered",
        COMMITTEE,
        invitees,
        "invitees",
        uses_search=False,
    ),
):
    register_recipients(_kind)
