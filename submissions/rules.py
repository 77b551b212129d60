"""Who may do what with a submission. Predicates are cheap: they read prefetched
authors when a view prefetched them.

- submissions.add_submission (no object): anyone signed in.
- submissions.view_submission / change_submission (Submission.Meta): its authors;
  non-conflicted chairs may view.
- submissions.download_original: its authors and non-conflicted chairs.
- submissions.grant_extension: non-conflicted chairs.
"""

from typing import TYPE_CHECKING

import rules

from haet.rules import is_signed_in, is_unconflicted_chair

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from haet.models import User
    from submissions.models import Submission


@rules.predicate
def is_submission_author(
    user: "User | AnonymousUser", submission: "Submission | None"
) -> bool:
    """The contact author or a listed author whose verified account is linked."""
    if submission is None or not user.is_authenticated:
        return False
    if submission.contact_id == user.pk:
        return True
    return any(author.user_id == user.pk for author in submission.authors.all())


rules.add_perm("submissions.add_submission", is_signed_in)
# A chair conflicted with a submission sees nothing of it (unless they wrote it).
rules.add_perm(
    "submissions.download_original", is_submission_author | is_unconflicted_chair
)
rules.add_perm("submissions.grant_extension", is_unconflicted_chair)
