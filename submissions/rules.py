"""Who may do what with a submission. Predicates are cheap: they read prefetched
authors when a view prefetched them."""

import rules

from haet.rules import is_chair, is_unconflicted_chair


@rules.predicate
def is_submission_author(user, submission) -> bool:
    """The contact author or a listed author whose verified account is linked."""
    if submission is None or not user.is_authenticated:
        return False
    if submission.contact_id == user.pk:
        return True
    return any(author.user_id == user.pk for author in submission.authors.all())


rules.add_perm("submissions.add_submission", rules.is_authenticated)
rules.add_perm("submissions.list_all", is_chair)
# A chair conflicted with a submission sees nothing of it (unless they wrote it).
rules.add_perm(
    "submissions.download_original", is_submission_author | is_unconflicted_chair
)
rules.add_perm("submissions.grant_extension", is_unconflicted_chair)
rules.add_perm("submissions.manage_settings", is_chair)
