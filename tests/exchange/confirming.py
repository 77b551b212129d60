"""Confirming a dry run on the chairs' import page, as the page's button does."""

from django.urls import reverse

from haet.jobs.models import Job


def confirm_import(client, dry, source: str, capture) -> list[str]:
    """Post the dry run's token back, run the job's on-commit task, and give the
    job's summary lines; fails when the job did not finish."""
    with capture(execute=True):
        client.post(
            reverse("exchange:import-confirm"),
            {"source": source, "token": dry.context["token"], "topic_map": ""},
        )
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    return job.result["summary"]
