"""In a real browser: a chair watches a run whose worker died; once the sweep fails
it, the page stops refreshing, says why, and "Run again" starts a new proposal."""

import re
from datetime import timedelta

import pytest

from haet import clock
from reviews.assignment_runs import RUN_TIME_LIMIT, SWEEP_GRACE, fail_stalled_runs
from reviews.models import AssignmentRun
from tests.conftest import PASSWORD
from tests.reviews.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dead_run_stops_refreshing_and_runs_again(page, conference, chair):
    run = AssignmentRun.objects.create(
        created_by=chair,
        params={"fair": False, "affinity_source": "computed"},
        status=AssignmentRun.Status.RUNNING,
        started_at=clock.now() - timedelta(seconds=RUN_TIME_LIMIT + SWEEP_GRACE),
        progress=60,
        progress_message="Solving",
    )
    log_in(page, chair.email, PASSWORD)

    page.goto(f"/reviews/chair/assignment-runs/{run.pk}/")
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    page.get_by_text("Solving").wait_for()

    fail_stalled_runs()  # the beat's sweep
    page.get_by_role("button", name="Run again").wait_for()  # the next refresh
    page.evaluate("window.stillTheSameLoad = true")
    page.wait_for_timeout(3_000)  # longer than the 2 s refresh

    assert page.evaluate("window.stillTheSameLoad === true")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert "its worker was stopped" in page.locator("main").inner_text()

    page.get_by_role("button", name="Run again").click()
    page.wait_for_url(re.compile(r"/assignment-runs/\d+/$"))

    again = AssignmentRun.objects.exclude(pk=run.pk).get()
    assert page.url.endswith(f"/reviews/chair/assignment-runs/{again.pk}/")
    assert {key: again.params[key] for key in run.params} == run.params
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith(f"Proposal {again.pk}")
    )
