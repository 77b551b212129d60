"""Roles as django-rules predicates. A person may hold several roles.

- chair: member of the "chairs" group (configures, assigns, decides);
- reviewer: member of the "reviewers" group (joined by accepting an invitation);
- author: anyone signed in (authorship is per submission, see submissions.rules).
"""

import rules

CHAIRS = "chairs"
REVIEWERS = "reviewers"

is_chair = rules.is_group_member(CHAIRS)
is_reviewer = rules.is_group_member(REVIEWERS)
is_signed_in = rules.is_authenticated

rules.add_perm("haet.manage_conference", is_chair)
rules.add_perm("haet.review", is_reviewer)
