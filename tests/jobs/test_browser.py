"""Issue 14, item 10 in a real browser: deploying a proposal and releasing
decisions run as background jobs; the chair lands on the job's page, which shows
the summary once done (at once under eager Celery) and, while the job runs, a
progress bar its script follows (a refresh link without JavaScript)."""

import re

import pytest
from django.core import mail

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from haet.jobs.models import Job
from reviews.assignment_runs import compute_run
from reviews.models import Assignment, AssignmentRun
from tests.a11y import assert_accessible
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in
from tests.reviews.test_assignment import pool  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_deploys_then_releases_through_job_pages(
    page,
    settings,
    chair,
    pool,  # noqa: F811 - the fixture
    artifacts,
):
    submissions, _ = pool
    run = AssignmentRun.objects.create(created_by=chair)
    compute_run(run.pk)
    log_in(page, chair.email, PASSWORD)

    # Deploy: the confirmation step is unchanged, then the job's page.
    page.goto(f"/reviews/chair/assignment-runs/{run.pk}/")
    page.get_by_label(re.compile(r"Create 12 assignments and send \d+ mails")).check()
    page.get_by_role("button", name=re.compile("^Deploy")).click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    assert page.locator("h1").inner_text() == "Deploying a proposal: Done"
    summary = page.locator("#job-summary").inner_text()
    assert summary.startswith("Deployed: 12 new assignments;")
    assert page.locator("progress").count() == 0
    assert_accessible(page, "job page, done: ")  # issue 14 item 16
    page.screenshot(path=artifacts / "jobs-deploy-done.png", full_page=True)
    page.get_by_role("link", name="See the assignments").click()
    page.wait_for_url(re.compile("/reviews/chair/assignments/"))
    assert Assignment.objects.count() == 12

    # Release: decide, preview, confirm the count, then the job's page.
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"
    for submission in submissions:
        decide(submission, Outcome.ACCEPT_POSTER, by=chair)
    mail.outbox.clear()
    page.goto("/decisions/release/")
    page.get_by_label(re.compile(r"Send \d+ mails to \d+ recipients")).check()
    page.get_by_role("button", name=re.compile(r"^Send \d+ mails")).click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    assert page.locator("h1").inner_text() == "Releasing decisions: Done"
    summary = page.locator("#job-summary").inner_text()
    assert summary.startswith(f"Released 4 decisions; {len(mail.outbox)} mails")
    assert Decision.objects.released().count() == 4
    assert_accessible(page, "job page, release done: ")
    page.get_by_role("link", name="Back to decisions").click()
    page.wait_for_url(re.compile("/decisions/$"))


def test_without_javascript_a_running_jobs_page_offers_a_refresh(
    browser, live_server, chair, artifacts
):
    job = Job.objects.create(
        kind="decisions.release",
        created_by=chair,
        for_chairs=True,
        status=Job.Status.RUNNING,
        progress=40,
        message="200 of 500 decisions",
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, chair.email, PASSWORD)
        page.goto(f"/jobs/{job.pk}/")
        bar = page.locator("progress")
        assert bar.get_attribute("value") == "40"
        assert "200 of 500 decisions" in page.locator("[role=status]").inner_text()
        page.screenshot(path=artifacts / "jobs-running.png", full_page=True)

        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE,
            progress=100,
            result={"summary": ["Released 500 decisions."]},
        )
        # No timed reload (axe's meta-refresh rule): a link reads the page again.
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        page.get_by_role("link", name="refresh it").click()
        page.locator("#job-summary").wait_for(timeout=10_000)
        assert page.locator("#job-summary").inner_text() == "Released 500 decisions."
        assert page.locator("progress").count() == 0
    finally:
        context.close()


def test_running_and_failed_job_pages_pass_the_audit(page, chair):
    """The two states the deploy/release journey above does not stop on."""
    running = Job.objects.create(
        kind="decisions.release",
        created_by=chair,
        for_chairs=True,
        status=Job.Status.RUNNING,
        progress=40,
        message="200 of 500 decisions",
    )
    failed = Job.objects.create(
        kind="reviews.deploy",
        created_by=chair,
        for_chairs=True,
        status=Job.Status.FAILED,
        can_retry=True,
        error="OperationalError: the database went away",
    )
    log_in(page, chair.email, PASSWORD)
    page.goto(f"/jobs/{running.pk}/")
    assert page.locator("progress").get_attribute("value") == "40"
    assert_accessible(page, "job page, running: ")
    # With JavaScript the page follows the job by itself (static/haet/job.js).
    Job.objects.filter(pk=running.pk).update(
        status=Job.Status.DONE,
        progress=100,
        result={"summary": ["Released 500 decisions."]},
    )
    page.locator("#job-summary").wait_for(timeout=10_000)
    assert page.locator("h1").inner_text() == "Releasing decisions: Done"
    page.goto(f"/jobs/{failed.pk}/")
    assert "the database went away" in page.locator("main").inner_text()
    assert_accessible(page, "job page, failed: ")
