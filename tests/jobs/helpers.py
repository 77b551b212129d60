"""Following a background job from the response that started it."""

from django.urls import resolve

from haet.jobs.models import Job


def job_of(response) -> Job:
    """The job a POST redirected to (its page, /jobs/<pk>/)."""
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "jobs:detail", response["Location"]
    return Job.objects.get(pk=match.kwargs["pk"])


def summary_of(response) -> list[str]:
    """What the job page says it did (raises if the job did not finish well)."""
    job = job_of(response)
    assert job.status == Job.Status.DONE, (job.status, job.error)
    return job.result["summary"]
