"""Issue 19: the scheduled release under concurrent beats (a beat double-fire, two
beat processes, a retry) and a chair cancelling at the same moment, on PostgreSQL:
the conditional UPDATE lets exactly one of them have it."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from decisions.deciding import decide
from decisions.models import Decision, Outcome, ScheduledRelease
from decisions.scheduling import (
    cancel_release,
    release_tokens,
    run_scheduled_release,
    schedule_release,
)
from haet.clock import parse_instant
from haet.outbox.models import OutboxMail
from tests.decisions.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_beats_and_a_cancel_release_once_or_not_at_all(
    conference, author, chair, frozen
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent writers")
    frozen("2022-06-10T12:00:00Z")
    world = World(conference, author, chair)
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.REJECT, by=chair)
    release = schedule_release(
        conference,
        tokens=sorted(release_tokens(conference, by=chair)),
        release_at=parse_instant("2022-06-14T04:00:00Z"),
        by=chair,
    )
    at = parse_instant("2022-06-14T04:00:00Z")
    start = threading.Barrier(5, timeout=60)
    ran, cancelled, errors = [], [], []

    def beat():
        try:
            start.wait()
            ran.append(run_scheduled_release(release.pk, at=at))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def cancel():
        try:
            start.wait()
            cancel_release(conference, by=chair, at=at)
            cancelled.append(True)
        except ValidationError:  # refused: a beat had started it
            cancelled.append(False)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    threads.append(threading.Thread(target=cancel))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    status = ScheduledRelease.objects.get().status
    released = Decision.objects.released().count()
    mails = OutboxMail.objects.filter(dedupe_key__startswith="decision:").count()
    if cancelled == [True]:  # the chair was first: nothing happens
        assert (sorted(ran), status, released, mails) == (
            [False] * 4,
            "cancelled",
            0,
            0,
        )
    else:  # one beat had it: released once, the others and the cancel found it gone
        assert (sorted(ran), status, released, mails) == (
            [False, False, False, True],
            "released",
            2,
            4,
        )
