"""Delete my account (issue 18): removed when that breaks nothing, otherwise
anonymised.

An account that authors no submission, has no reviewing assignment and holds no
role is deleted outright (with what hangs on it: mail preferences, profile, bids,
API tokens), and erased from the audit log and the outbox as below. Any other
account is anonymised instead, so the conference's record stays whole: name and
address replaced, password unusable and the account inactive (no sign-in, no
session, no token), roles removed (each a "role.revoked" entry), e-mail addresses
and third-party logins and the publication list dropped.
Reviews stay under their pseudonym ("Reviewer 2"); the author lists of submissions
stay as the authors entered them (the rows are unlinked from the account). The
audit log keeps every entry, with the values that held their address or name
erased (haet.audit.redaction: the chain still verifies). The outbox keeps its
rows, erased too (haet.outbox.erasure): the mails to the person lose their address
and text, and those not sent yet never will be; in mails to others, their name and
address read "Deleted account". Every chair is told by an outbox mail, and the
audit log keeps the request under a named action, with what was erased counted.
"""

from dataclasses import dataclass
from typing import Literal

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError

from exchange.roles import revoke_all
from haet import audit
from haet.audit.redaction import Redaction, redact
from haet.audit.registry import record
from haet.models import User
from haet.outbox.erasure import erase_from_outbox
from haet.outbox.services import queue_mail
from haet.rules import CHAIRS
from reviews.models import Assignment
from submissions.models import Author, Submission

Outcome = Literal["deleted", "anonymised"]
DELETED: Outcome = "deleted"
ANONYMISED: Outcome = "anonymised"
ANONYMOUS_NAME = "Deleted account"
USER_TYPE = "haet.user"  # the audit log's object type of an account


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting `user` would break; deleted outright only when nothing."""

    submission_count: int
    assignment_count: int
    roles: tuple[str, ...]

    @property
    def can_delete(self) -> bool:
        return not (self.submission_count or self.assignment_count or self.roles)


def plan_for(user: User) -> DeletionPlan:
    submissions = Submission.objects.filter(
        Q(contact=user) | Q(created_by=user) | Q(authors__user=user)
    ).distinct()
    return DeletionPlan(
        submission_count=submissions.count(),
        assignment_count=Assignment.objects.filter(reviewer=user).count(),
        roles=tuple(sorted(user.groups.values_list("name", flat=True))),
    )


def anonymous_email(user: User) -> str:
    return f"deleted-{user.pk}@deleted.invalid"


@transaction.atomic
def delete_account(user: User, *, by: User) -> Outcome:
    """Delete `user`'s account at their own request (`by` must be `user`), or
    anonymise it when deleting would break the conference's record.

    Side effects: the account row deleted or anonymised; audit entries under
    "account.deleted" / "account.anonymised"; when anonymised, the person erased
    from the outbox and one mail to each chair (after commit)."""
    if by.pk != user.pk:
        raise PermissionDenied("Only the account's owner may delete it.")
    plan = plan_for(user)
    if plan.can_delete:
        try:
            # A savepoint: a row another app protects turns this into anonymising.
            with transaction.atomic():
                record(
                    "account.deletion_requested",
                    object_type_=USER_TYPE,
                    object_id=user.pk,
                    after={"outcome": DELETED},
                )
                identities = identities_of(user)
                erase_outbox(user, identities)
                with audit.action("account.deleted"):
                    user.delete()
                # Last, so the entries just written (the row's old address) go too.
                record_log_erasure(user.pk, redact(identities))
            return DELETED
        except (ProtectedError, RestrictedError):
            pass
    anonymise(user, plan)
    return ANONYMISED


def anonymise(user: User, plan: DeletionPlan) -> None:
    former = {"name": user.display_name, "email": user.email}
    identities = identities_of(user)
    record(
        "account.deletion_requested",
        object_type_=USER_TYPE,
        object_id=user.pk,
        after={
            "outcome": ANONYMISED,
            "submissions": plan.submission_count,
            "assignments": plan.assignment_count,
            "roles": list(plan.roles),
        },
    )
    # Each role taken is its own "role.revoked" entry, as anywhere else.
    revoke_all(user)
    with audit.action("account.anonymised"):
        user.email = anonymous_email(user)
        user.name = ANONYMOUS_NAME
        user.first_name = user.last_name = ""
        user.affiliation = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        user.publications.all().delete()
        # The author lists stay as entered; the rows just no longer grant access.
        Author.objects.filter(user=user).update(user=None)
    # Last, so the entries just written (the account's old address) go too.
    record_log_erasure(user.pk, redact(identities))
    erase_outbox(user, identities)
    tell_chairs(user, former=former, plan=plan)


def identities_of(user: User) -> set[str]:
    """Everything the log and the outbox may hold of who they were."""
    return {
        user.email,
        user.name,
        user.display_name,
        f"{user.first_name} {user.last_name}",
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }


def record_log_erasure(user_pk: int, erased: Redaction) -> None:
    record(
        "account.erased_from_log",
        object_type_=USER_TYPE,
        object_id=user_pk,
        after={
            "entries": erased.entries,
            "values": erased.values,
            "unredactable": erased.unredactable,
        },
    )


def erase_outbox(user: User, identities: set[str]) -> None:
    """Before the chairs are told: their mail keeps the former name for them."""
    erased = erase_from_outbox(
        user, former=identities, email=anonymous_email(user), name=ANONYMOUS_NAME
    )
    record(
        "account.erased_from_outbox",
        object_type_=USER_TYPE,
        object_id=user.pk,
        after={
            "mails_erased": erased.erased,
            "mails_cancelled": erased.cancelled,
            "mails_edited": erased.edited,
        },
    )


def tell_chairs(user: User, *, former: dict[str, str], plan: DeletionPlan) -> None:
    chairs = User.objects.filter(groups__name=CHAIRS, is_active=True).exclude(
        pk=user.pk
    )
    for chair in chairs.order_by("pk"):
        queue_mail(
            to=chair,
            template="account_anonymised",
            context={"recipient": chair, "former": former, "plan": plan},
            dedupe_key=f"account-anonymised:{user.pk}:{chair.pk}",
        )
