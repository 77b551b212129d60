"""Jobs never hang: an automatic-assignment run whose worker died is failed by the
beat sweep after its time limit; its page stops refreshing and offers "Run again"."""

from datetime import timedelta

import pytest
from django.urls import reverse

from haet import clock
from haet.celery import app
from reviews.assignment_runs import (
    QUEUE_TIME_LIMIT,
    RUN_TIME_LIMIT,
    SWEEP_GRACE,
    fail_stalled_runs,
)
from reviews.models import AssignmentRun
from reviews.tasks import run_assignment, sweep_stalled_runs
from tests.reviews.conftest import PERSONAS

pytestmark = pytest.mark.django_db

START = "2022-06-01T10:00:00Z"
Status = AssignmentRun.Status
REFRESH = '<meta http-equiv="refresh"'
PARAMS = {"fair": True, "affinity_source": "computed"}


@pytest.fixture
def started(frozen, chair):
    """A run a worker claimed at START and then died on (nothing more written)."""
    frozen(START)
    return AssignmentRun.objects.create(
        created_by=chair,
        params=PARAMS,
        status=Status.RUNNING,
        started_at=clock.now(),
        progress=60,
        progress_message="Solving",
    )


def after(frozen, seconds: float) -> None:
    frozen(clock.parse_instant(START) + timedelta(seconds=seconds))


def test_a_running_run_fails_only_after_its_time_limit(started, frozen):
    after(frozen, RUN_TIME_LIMIT)  # the hard limit is still killing it
    assert fail_stalled_runs() == []

    after(frozen, RUN_TIME_LIMIT + SWEEP_GRACE)
    assert fail_stalled_runs() == [started.pk]

    started.refresh_from_db()
    assert started.status == Status.FAILED
    assert started.error == (
        "The computation stopped without an answer: its worker was stopped or it "
        "ran past its 15 minutes."
    )
    assert started.finished_at == clock.now()


def test_a_queued_run_no_worker_took_fails_too(frozen, chair):
    frozen(START)
    queued = AssignmentRun.objects.create(created_by=chair, created_at=clock.now())

    after(frozen, QUEUE_TIME_LIMIT)
    assert fail_stalled_runs() == []
    after(frozen, QUEUE_TIME_LIMIT + SWEEP_GRACE)
    assert fail_stalled_runs() == [queued.pk]

    queued.refresh_from_db()
    assert queued.status == Status.FAILED
    assert "No worker started the computation within 15 minutes" in queued.error


@pytest.mark.parametrize("status", [Status.DONE, Status.DEPLOYED, Status.DISCARDED])
def test_finished_runs_are_never_touched(frozen, chair, status):
    frozen(START)
    run = AssignmentRun.objects.create(
        created_by=chair, status=status, started_at=clock.now(), result={"pairs": []}
    )

    after(frozen, 24 * 60 * 60)

    assert fail_stalled_runs() == []
    run.refresh_from_db()
    assert (run.status, run.error) == (status, "")


def test_the_sweep_is_idempotent(started, frozen):
    after(frozen, RUN_TIME_LIMIT + SWEEP_GRACE)

    assert sweep_stalled_runs() == 1
    failed_at = AssignmentRun.objects.get().finished_at
    after(frozen, 2 * RUN_TIME_LIMIT)
    assert sweep_stalled_runs() == 0
    assert AssignmentRun.objects.get().finished_at == failed_at


def test_beat_runs_the_sweep_every_minute_within_the_task_limits():
    entry = app.conf.beat_schedule["reviews-stalled-runs"]

    assert entry["task"] == sweep_stalled_runs.name
    assert entry["schedule"] == 60.0
    # The sweep waits for the hard limit, so it never fails a run Celery still runs.
    assert run_assignment.time_limit == RUN_TIME_LIMIT
    assert run_assignment.soft_time_limit < RUN_TIME_LIMIT


def test_the_page_refreshes_while_running_and_stops_once_failed(
    started, frozen, client, chair
):
    client.force_login(chair)
    url = reverse("reviews:run", args=[started.pk])

    running = client.get(url).text
    after(frozen, RUN_TIME_LIMIT + SWEEP_GRACE)
    fail_stalled_runs()
    failed = client.get(url).text

    assert REFRESH in running
    assert "Run again" not in running
    assert REFRESH not in failed
    assert "its worker was stopped" in failed
    assert '<button type="submit" name="action" value="rerun">Run again</button>' in (
        failed
    )


def test_run_again_proposes_the_same_options(
    started, frozen, client, chair, django_capture_on_commit_callbacks
):
    after(frozen, RUN_TIME_LIMIT + SWEEP_GRACE)
    fail_stalled_runs()
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reviews:run", args=[started.pk]), {"action": "rerun"}
        )

    again = AssignmentRun.objects.exclude(pk=started.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:run", args=[again.pk])
    assert (again.status, again.created_by) == (Status.QUEUED, chair)
    # The same options (options added since take their defaults).
    assert {key: again.params[key] for key in PARAMS} == PARAMS
    assert len(callbacks) == 1  # the computation is published after commit


def test_only_a_failed_run_can_run_again(started, client, chair):
    client.force_login(chair)

    response = client.post(
        reverse("reviews:run", args=[started.pk]), {"action": "rerun"}, follow=True
    )

    assert "Only a failed proposal can be run again." in response.text
    assert AssignmentRun.objects.count() == 1


@pytest.mark.parametrize("persona", [p for p in PERSONAS if "chair" not in p])
def test_nobody_but_a_chair_runs_again(world, started, frozen, client, persona):
    after(frozen, RUN_TIME_LIMIT + SWEEP_GRACE)
    fail_stalled_runs()
    user = world.user(persona)
    if user is not None:
        client.force_login(user)

    response = client.post(
        reverse("reviews:run", args=[started.pk]), {"action": "rerun"}
    )

    assert response.status_code == (302 if user is None else 404)
    if user is None:
        assert response["Location"].startswith(reverse("account_login"))
    assert AssignmentRun.objects.count() == 1


def test_a_conflicted_chair_runs_again_over_what_they_may_see(
    world, started, frozen, client, django_capture_on_commit_callbacks
):
    """The new run is the conflicted chair's: it covers only what they may see."""
    after(frozen, RUN_TIME_LIMIT + SWEEP_GRACE)
    fail_stalled_runs()
    client.force_login(world.conflicted_chair)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:run", args=[started.pk]), {"action": "rerun"})

    again = AssignmentRun.objects.exclude(pk=started.pk).get()
    assert again.created_by == world.conflicted_chair
    assert again.status == Status.DONE
    covered = {pair[0] for pair in again.result["pairs"]} | {
        int(pk) for pk in again.result["unfilled"]
    }
    assert world.other_submission.pk in covered
    assert world.submission.pk not in covered
