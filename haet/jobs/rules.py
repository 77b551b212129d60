"""Who follows a job: its starter; for a chairs' job, also any chair with no
conflict of interest. A conflicted chair sees only their own jobs: another chair's
summary counts submissions they may be conflicted with (issue 12)."""

from typing import TYPE_CHECKING

import rules

from haet.rules import conflicted_submission_ids, is_chair

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from haet.jobs.models import Job
    from haet.models import User


@rules.predicate
def started_job(user: "User | AnonymousUser", job: "Job | None") -> bool:
    return job is not None and job.created_by_id == user.pk


@rules.predicate
def is_chairs_job(user: "User | AnonymousUser", job: "Job | None") -> bool:
    return job is not None and job.for_chairs


@rules.predicate
def has_no_conflict(user: "User | AnonymousUser") -> bool:
    return not conflicted_submission_ids(user)


can_follow_job = rules.is_authenticated & (
    started_job | (is_chairs_job & is_chair & has_no_conflict)
)
rules.add_perm("jobs.view_job", can_follow_job)
