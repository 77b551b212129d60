"""Conflicts of interest: the ONE answer to "is this user conflicted with this
submission?", for reviewers and chairs alike.

A pair (user, submission) is conflicted when any of these applies and is not waived:

- author_declared: an author declared the user's email, or a domain covering the
  user's email domain or one of their declared institution domains;
- reviewer_declared / chair_added: a stored `Conflict` row;
- domain: the user's email domain or a declared institution domain equals an
  author's email domain (public mail domains such as gmail.com never count);
- is_author: the user is an author (listed by email or account, or the contact) —
  never waivable;
- coauthor: the user co-authors any other submission with one of its authors;
- publication: an author is named (by name) as the user's co-author on a paper of
  the last three years in a publication list the user uploaded
  (`reviews.expertise_profile`); the reason names the paper and the file's kind.

Detected conflicts are computed on the fly from submissions and profiles, so they are
always current; only declarations and waivers are stored. `ConflictIndex` answers for
many users x many submissions in a fixed number of queries (the solver, the chairs'
conflict table); `conflicted_submission_ids(user)` is the per-user set every
listing excludes (chairs' reads and aggregates go through `reviews.queries.visible_to`,
their writes through `refuse_if_hidden` below); `is_conflicted(user,
submission)` is the predicate.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save

from haet.models import User
from haet.rules import CHAIRS, REVIEWERS
from reviews.expertise_profile import publication_coauthors
from reviews.expertise_sources import person_key
from reviews.models import (
    DETECTED_SOURCES,
    PUBLIC_MAIL_DOMAINS,
    UNWAIVABLE_SOURCES,
    Conflict,
    ConflictSource,
    ReviewerProfile,
    ReviewerPublication,
    ReviewSettings,
    parse_domains,
)
from submissions.models import Author, DeclaredConflict, Submission


@dataclass(frozen=True)
class ConflictReason:
    source: str
    reason: str
    is_waived: bool = False
    record: Conflict | None = None  # the stored declaration or waiver, if any
    # Co-authorship: the submission the two co-author, whose number and author the
    # reason names. A chair conflicted with it reads `shown_to(hidden)` instead.
    via_submission_id: int | None = None

    @property
    def label(self) -> str:
        return ConflictSource(self.source).label

    def shown_to(self, hidden: set[int]) -> "ConflictReason":
        """This reason as a viewer who may not see the `hidden` submissions reads
        it: never the number or an author of one of them."""
        if self.via_submission_id is None or self.via_submission_id not in hidden:
            return self
        return replace(
            self, reason="Co-author of one of its authors on another submission"
        )

    @property
    def can_waive(self) -> bool:
        return self.source not in UNWAIVABLE_SOURCES and not self.is_waived


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def public_domains() -> set[str]:
    """The conference's list (one query, no write); the default if none saved."""
    text = (
        ReviewSettings.objects.order_by("conference_id")
        .values_list("public_mail_domains", flat=True)
        .first()
    )
    return parse_domains(PUBLIC_MAIL_DOMAINS if text is None else text)


def _covers(declared: str, domain: str) -> bool:
    return domain == declared or domain.endswith("." + declared)


@dataclass
class ConflictIndex:
    """Every conflict between `users` and `submissions`, with reasons.

    Build once (about six queries, whatever the sizes), then ask in O(1).
    Work grows with the number of matches, not with users x submissions.
    """

    reasons: dict[tuple[int, int], list[ConflictReason]] = field(default_factory=dict)

    # --- asking ---
    def reasons_for(self, user_id: int, submission_id: int) -> list[ConflictReason]:
        return self.reasons.get((user_id, submission_id), [])

    def is_conflicted(self, user_id: int, submission_id: int) -> bool:
        return any(not r.is_waived for r in self.reasons_for(user_id, submission_id))

    def pairs(self) -> set[tuple[int, int]]:
        """Active (user_id, submission_id) conflicts."""
        return {pair for pair in self.reasons if self.is_conflicted(*pair)}

    def submission_ids_for(self, user_id: int) -> set[int]:
        return {s for (u, s) in self.pairs() if u == user_id}

    # --- building ---
    @classmethod
    def build(
        cls,
        users: Iterable[User] | None = None,
        submissions: Iterable[Submission | int] | None = None,
    ) -> "ConflictIndex":
        """Conflicts of `users` (default: every reviewer and chair) with
        `submissions` (default: all). Co-authorship looks at every submission."""
        if users is None:
            users = User.objects.filter(groups__name__in=[CHAIRS, REVIEWERS]).distinct()
        user_ids = [u.pk for u in users]
        people = list(User.objects.filter(pk__in=user_ids).only("pk", "email", "name"))
        profile_domains = {
            p.user_id: p.domains
            for p in ReviewerProfile.objects.filter(user_id__in=user_ids).only(
                "user_id", "institution_domains"
            )
        }
        target_ids = (
            None
            if submissions is None
            else {s if isinstance(s, int) else s.pk for s in submissions}
        )
        public = public_domains()

        # Every author of every submission (co-authorship spans the whole system).
        emails_by_sub: dict[int, set[str]] = defaultdict(set)
        names_by_sub_email: dict[tuple[int, str], str] = {}
        users_by_sub: dict[int, set[int]] = defaultdict(set)
        for sub_id, email, user_id, name in Author.objects.values_list(
            "submission_id", "email", "user_id", "name"
        ):
            email = email.strip().lower()
            emails_by_sub[sub_id].add(email)
            names_by_sub_email[sub_id, email] = name or email
            if user_id:
                users_by_sub[sub_id].add(user_id)
        numbers = {}
        for sub_id, number, contact_id, contact_email in Submission.objects.values_list(
            "pk", "number", "contact_id", "contact__email"
        ):
            numbers[sub_id] = number
            users_by_sub[sub_id].add(contact_id)
            emails_by_sub[sub_id].add(contact_email.strip().lower())

        # Co-authors named in a reviewer's recent publication lists, matched by name.
        # Only the names some reviewer's list mentions are keyed (most reviewers
        # upload no list, and folding every author's name on every build is waste).
        coauthors = publication_coauthors({p.pk: p.name for p in people})
        wanted = {key for found in coauthors.values() for key in found}
        subs_by_person: dict[str, set[int]] = defaultdict(set)
        if wanted:
            for (sub_id, _), name in names_by_sub_email.items():
                if (key := person_key(name)) in wanted:
                    subs_by_person[key].add(sub_id)

        subs_by_email: dict[str, set[int]] = defaultdict(set)
        subs_by_user: dict[int, set[int]] = defaultdict(set)
        subs_by_domain: dict[str, set[int]] = defaultdict(set)
        for sub_id, emails in emails_by_sub.items():
            for email in emails:
                subs_by_email[email].add(sub_id)
                domain = email_domain(email)
                if domain not in public:
                    subs_by_domain[domain].add(sub_id)
        for sub_id, ids in users_by_sub.items():
            for user_id in ids:
                subs_by_user[user_id].add(sub_id)

        declared = DeclaredConflict.objects.values_list(
            "submission_id", "kind", "value"
        )
        if target_ids is not None:
            declared = declared.filter(submission_id__in=target_ids)
        declared_person: dict[str, set[int]] = defaultdict(set)
        declared_domain: dict[str, set[int]] = defaultdict(set)
        for sub_id, kind, value in declared:
            value = value.strip().lower()
            if kind == DeclaredConflict.Kind.PERSON:
                declared_person[value].add(sub_id)
            else:
                declared_domain[value.lstrip("@")].add(sub_id)

        stored = Conflict.objects.filter(user_id__in=user_ids)
        if target_ids is not None:
            stored = stored.filter(submission_id__in=target_ids)
        stored_by_pair: dict[tuple[int, int], list[Conflict]] = defaultdict(list)
        for row in stored:
            stored_by_pair[row.user_id, row.submission_id].append(row)

        # (user, submission) -> source -> (reason, the co-authored submission)
        found: dict[tuple[int, int], dict[str, tuple[str, int | None]]] = defaultdict(
            dict
        )

        def add(
            user_id: int,
            sub_ids: Iterable[int],
            source: str,
            reason: str,
            via: int | None = None,
        ) -> None:
            for sub_id in sub_ids:
                if target_ids is None or sub_id in target_ids:
                    found[user_id, sub_id].setdefault(source, (reason, via))

        for person in people:
            email = person.email.strip().lower()
            own_domain = email_domain(email)
            domains = ({own_domain} | profile_domains.get(person.pk, set())) - public
            authored = subs_by_email.get(email, set()) | subs_by_user.get(
                person.pk, set()
            )
            for sub_id in authored:
                add(person.pk, [sub_id], ConflictSource.IS_AUTHOR, "Is an author")
            for sub_id in authored:
                for coauthor in emails_by_sub[sub_id] - {email}:
                    name = names_by_sub_email.get((sub_id, coauthor), coauthor)
                    add(
                        person.pk,
                        subs_by_email[coauthor] - {sub_id},
                        ConflictSource.COAUTHOR,
                        f"Co-author of {name} ({coauthor}) on #{numbers[sub_id]}",
                        via=sub_id,
                    )
            for key, shared in coauthors.get(person.pk, {}).items():
                add(
                    person.pk,
                    subs_by_person.get(key, set()) - authored,
                    ConflictSource.PUBLICATION,
                    shared.reason,
                )
            for domain in sorted(domains):
                add(
                    person.pk,
                    subs_by_domain.get(domain, ()),
                    ConflictSource.DOMAIN,
                    f"Same institution domain: {domain}",
                )
            add(
                person.pk,
                declared_person.get(email, ()),
                ConflictSource.AUTHOR_DECLARED,
                f"The authors declared {email}",
            )
            # Declared domains cover subdomains; the person's own webmail domain still
            # counts here, because the authors named it.
            for declared_value, sub_ids in declared_domain.items():
                for domain in sorted(
                    {own_domain} | profile_domains.get(person.pk, set())
                ):
                    if _covers(declared_value, domain):
                        add(
                            person.pk,
                            sub_ids,
                            ConflictSource.AUTHOR_DECLARED,
                            f"The authors declared the institution {declared_value}",
                        )
                        break

        index = cls()
        for pair in set(found) | set(stored_by_pair):
            records = {r.source: r for r in stored_by_pair.get(pair, [])}
            reasons = []
            for source, (reason, via) in found.get(pair, {}).items():
                record: Conflict | None = records.pop(source, None)
                waived = (
                    record is not None
                    and record.is_waived
                    and source not in UNWAIVABLE_SOURCES
                )
                reasons.append(ConflictReason(source, reason, waived, record, via))
            # Stored rows without a detected counterpart: declarations, and waivers
            # of a detected conflict that no longer applies (shown, harmless).
            for source, record in records.items():
                if record.is_waived and source in DETECTED_SOURCES:
                    continue
                reasons.append(
                    ConflictReason(
                        source,
                        record.reason or ConflictSource(source).label,
                        record.is_waived,
                        record,
                    )
                )
            if reasons:
                index.reasons[pair] = sorted(reasons, key=lambda r: r.source)
        return index


# --- the per-user answer, cached on the user object for one request ----------------
_generation = 0


def _forget_all(**kwargs: object) -> None:
    """Any write that can change a conflict invalidates every cached answer."""
    global _generation
    _generation += 1


for _model in (
    Conflict,
    Author,
    DeclaredConflict,
    ReviewerPublication,
    ReviewerProfile,
    Submission,
    User,
):
    post_save.connect(_forget_all, sender=_model, dispatch_uid=f"coi-{_model.__name__}")
    post_delete.connect(
        _forget_all, sender=_model, dispatch_uid=f"coi-del-{_model.__name__}"
    )


def conflicted_submission_ids(user: User | None) -> set[int]:
    """Ids of every submission the user is conflicted with (a few queries, then
    cached on the user object until a conflict-relevant write)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_haet_conflicts", None)
    if cached is not None and cached[0] == _generation:
        return cached[1]
    ids = ConflictIndex.build(users=[user]).submission_ids_for(user.pk)
    user._haet_conflicts = (_generation, ids)  # type: ignore[attr-defined]  # a cache
    return ids


def is_conflicted(user: User | None, submission: Submission | int | None) -> bool:
    """THE conflict test: reviewers, chairs, bidding, assignment, reviewing,
    discussion and decisions all ask this (or its bulk forms)."""
    if submission is None:
        return False
    return getattr(submission, "pk", submission) in conflicted_submission_ids(user)


def conflict_reasons(user: User, submission: Submission) -> list[ConflictReason]:
    return ConflictIndex.build(users=[user], submissions=[submission]).reasons_for(
        user.pk, submission.pk
    )


# --- what a chair may shape -------------------------------------------------------
def refuse_if_hidden(submission: Submission, *, by: User) -> None:
    """A chair never shapes the reviewing of a submission they are conflicted with
    (assignments, conflicts, affinity). Refused in the words used for a number
    that does not exist, so the refusal confirms nothing; the views answer the
    same way before calling a service, this is the service's own guard."""
    if submission.pk in conflicted_submission_ids(by):  # none if by is None
        raise PermissionDenied(f"There is no submission #{submission.number}.")
