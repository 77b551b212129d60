"""Reviews' background jobs (haet.jobs): deploying an automatic-assignment
proposal, which creates hundreds of assignments and mails on a large conference."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from haet.jobs.models import Job
from haet.jobs.services import Progress, register_job_kind, start_job
from haet.models import User
from haet.wording import counted
from reviews.assignment_runs import deploy_run
from reviews.conflicts import conflicted_submission_ids
from reviews.models import AssignmentRun, Invitation
from reviews.pool import invite_reviewer, invite_reviewers
from reviews.queries import run_submission_ids

DEPLOY = "reviews.deploy"
INVITE = "reviews.invite"
CHAIRS = "haet.manage_conference"


def start_deploy(run: AssignmentRun, *, by: User) -> Job:
    """Deploy a proposal in the background (`deploy_run`, exactly once: a second
    job finds it deployed and fails saying so). Side effects: a Job."""
    if run.status != AssignmentRun.Status.DONE:
        raise ValidationError("Only a finished, undeployed proposal can be deployed.")
    return start_job(DEPLOY, by=by, params={"run": run.pk})


def _acting_chair(job: Job) -> User:
    by = job.created_by
    if by is None or not by.has_perm(CHAIRS):
        raise ValidationError("The person who started this job is no longer a chair.")
    return by


def _deploy(job: Job, progress: Progress) -> dict:
    by = _acting_chair(job)
    run = AssignmentRun.objects.filter(pk=job.params.get("run")).first()
    if run is None:
        raise ValidationError("This proposal no longer exists.")
    progress(2, "Checking the proposal")
    created = deploy_run(run, by=by, progress=progress)
    reviewer_count = len({a.reviewer_id for a in created})
    summary = [
        f"Deployed: {counted(len(created), 'new assignment')}; "
        f"{counted(reviewer_count, 'reviewer')} "
        f"{'gets' if reviewer_count == 1 else 'get'} one mail each, listing their "
        "new submissions."
    ]
    # Said whenever the run covers a hidden submission (as its page says), not only
    # when one had new pairs: that would tell the chair it was short.
    if run_submission_ids(run) & conflicted_submission_ids(by):
        summary.append(
            "Nothing was deployed for the submissions you are conflicted with: "
            "another chair can propose and deploy again for them."
        )
    return {
        "summary": summary,
        "link": {"url": reverse("reviews:assignments"), "label": "See the assignments"},
    }


def _back(job: Job) -> tuple[str, str]:
    pk = job.params.get("run")
    if not isinstance(pk, int):  # a job row made by hand: the proposals list
        return reverse("reviews:runs"), "Proposals"
    return reverse("reviews:run", args=[pk]), f"Proposal {pk}"


def start_invite(*, email: str, name: str, pasted: str, by: User) -> Job:
    """Invite one person and a pasted list in the background (`invite_reviewer`
    and `invite_reviewers`, idempotent: an open invitation is not sent again).
    Side effects: a Job."""
    return start_job(
        INVITE, by=by, params={"email": email, "name": name, "pasted": pasted}
    )


def _invite(job: Job, progress: Progress) -> dict:
    by = _acting_chair(job)
    params = job.params
    invited: list[Invitation] = []
    skipped: list[Invitation] = []
    bad: list[str] = []
    if params.get("email"):
        invitation, is_new = invite_reviewer(
            params["email"], name=params.get("name", ""), by=by
        )
        (invited if is_new else skipped).append(invitation)
    if params.get("pasted", "").strip():
        result = invite_reviewers(params["pasted"], by=by, progress=progress)
        invited += result["invited"]
        skipped += result["skipped"]
        bad += result["bad"]
    summary = [f"Invited {len(invited)}."] if invited else []
    if skipped:
        summary.append(f"Already invited: {', '.join(i.email for i in skipped)}.")
    if bad:
        summary.append(f"No address found in: {'; '.join(bad)}")
    return {
        "summary": summary or ["Nobody was invited."],
        "link": {"url": reverse("reviews:invitations"), "label": "See the invitations"},
    }


def _invitations(job: Job) -> tuple[str, str]:
    return reverse("reviews:invitations"), "Reviewer invitations"


def register() -> None:
    register_job_kind(
        INVITE,
        run=_invite,
        title="Inviting reviewers",
        permission=CHAIRS,
        # invite_reviewer leaves an open invitation alone: nobody is mailed twice.
        retry_safe=True,
        back=_invitations,
    )
    register_job_kind(
        DEPLOY,
        run=_deploy,
        title="Deploying a proposal",
        permission=CHAIRS,
        # deploy_run claims the run: running again deploys it at most once.
        retry_safe=True,
        back=_back,
    )
