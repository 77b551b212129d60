"""Exchange's background jobs (haet.jobs): an import confirmed on the chairs'
page (PDF checks take about a second each) and the retention purge."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from exchange import retention
from exchange.imports.applying import apply_plan
from exchange.imports.decision_plan import parse_decision_map
from exchange.imports.planning import parse_topic_map, plan, read_files
from exchange.imports.records import ImportFileError
from exchange.imports.staging import keep, staged_data, staged_pdfs, unstage
from haet.jobs.models import Job
from haet.jobs.services import Progress, register_job_kind, start_job
from haet.models import Conference, User
from haet.rules import conflicted_submission_ids
from submissions.models import Submission

IMPORT = "exchange.import"
CHAIRS = "haet.manage_conference"


def start_import(
    *, token: str, source: str, topic_map: str, decision_map: str = "", by: User
) -> Job:
    """Import the staged files as the dry run showed (planned again: what changed
    since is taken into account). Side effects: a Job; the staged files' age
    restarts, so the sweep leaves them to the job."""
    keep(token)
    params = {
        "token": token,
        "source": source,
        "topic_map": topic_map,
        "decision_map": decision_map,
    }
    return start_job(IMPORT, by=by, params=params)


def _import(job: Job, progress: Progress) -> dict:
    by = job.created_by
    if by is None or not by.has_perm(CHAIRS):
        raise ValidationError("The person who started this job is no longer a chair.")
    params = job.params
    token = str(params.get("token", ""))
    files = staged_data(token)
    if not files:
        raise ValidationError("The uploaded files are gone: upload them again.")
    conference = Conference.objects.current()
    mapping, _bad = parse_topic_map(params.get("topic_map", ""))
    progress(2, "Reading the files")
    try:
        parsed = read_files(params.get("source", ""), files)
    except ImportFileError as error:
        raise ValidationError(str(error)) from error
    with staged_pdfs(token) as folder:
        the_plan = plan(
            parsed,
            source=params["source"],
            conference=conference,
            topic_map=mapping,
            decision_map=parse_decision_map(params.get("decision_map", ""))[0],
            pdfs=folder,
            # As in the dry run the starter confirmed: what concerns a
            # submission they are conflicted with is skipped and never
            # described (its reviews, meta-review and decision are another
            # chair's to import).
            hidden_ids=frozenset(conflicted_submission_ids(by)),
        )
        result = apply_plan(the_plan, conference=conference, by=by, progress=progress)
    unstage(token)  # applied: the files go once this commits
    # The starter sees no finding about a submission they are conflicted with.
    hidden = set(
        Submission.objects.filter(pk__in=conflicted_submission_ids(by)).values_list(
            "number", flat=True
        )
    )
    result.pdf_findings = {
        number: findings
        for number, findings in result.pdf_findings.items()
        if number not in hidden
    }
    return {
        "summary": result.summary(),
        "link": {
            "url": reverse("submissions:chair-list"),
            "label": "See the submissions",
        },
    }


def _back(job: Job) -> tuple[str, str]:
    return reverse("exchange:import"), "Import submissions"


def register() -> None:
    register_job_kind(
        IMPORT,
        run=_import,
        title="Importing submissions",
        permission=CHAIRS,
        for_chairs=False,
        retry_safe=True,  # keyed by source + id: a second run updates nothing
        back=_back,
    )
    retention.register()
