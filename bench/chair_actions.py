"""Benchmark the chairs' bulk actions (POSTs touching every submission) on PostgreSQL.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/haet_i
.venv/bin/python bench/chair_actions.py [--submissions 1000]``.

Creates a throw-away database (``<name>_bench_chair_actions``), seeds it with
``bench/dashboard.py``'s seeding (N submissions, 3 authors and 3 reviews each),
then POSTs each action in-process through Django's test client as a chair and
times the whole action (wall and CPU, the request plus the background job it
starts, run eagerly after the request's commit) and the request alone (what the
chair waits for when the action is a job):

- bulk decide: "Accept (poster)" for all N from the decisions dashboard, confirmation
  page (first POST) and the confirmed POST;
- undo that bulk decision;
- bulk tag: add a tag to every submission a (blank) search finds;
- invite reviewers: a pasted list of N addresses;
- camera-ready reminder: after releasing the acceptances (with mail, so the
  authors have something to be reminded of), remind every missing camera-ready.

Prints one line per action; the last line is JSON
``{"submissions": 1000, "<action>_s": wall, "<action>_cpu_s": cpu,
"<action>_request_s": the request alone, ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._django import setup_django, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="Keep the database.")
    args = parser.parse_args()

    setup_django()
    from django.test.utils import setup_test_environment

    from bench.dashboard import seed

    setup_test_environment()  # the test client keeps each page's context
    with throwaway_database("_bench_chair_actions", keep=args.keep):
        chair, _ = seed(args.submissions)
        run(chair, args.submissions)


def _messages(client, response) -> list[str]:
    """What the redirect's page says (read after the timing: it consumes them), or
    the summary (or error) of the job the action started."""
    if response.status_code != 302:
        return []
    if response.url.startswith("/jobs/"):
        from haet.jobs.models import Job

        job = Job.objects.get(pk=int(response.url.strip("/").split("/")[-1]))
        return [job.status, *job.result.get("summary", []), job.error]
    page = client.get(response.url)
    return [str(m) for m in page.context["messages"]] if page.context else []


def run(chair, count: int) -> None:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from decisions.models import Decision, DecisionLog, Outcome
    from decisions.release import preview_release, release_decisions
    from haet.models import Conference
    from submissions.models import Tag
    from submissions.tagging import create_tag

    client = Client()
    client.force_login(chair)
    client.get(reverse("decisions:dashboard"))  # warm up
    figures: dict[str, float] = {"submissions": count}

    def timed(action: str, url: str, data: dict, check=None):
        # The request runs in a transaction so that a job it starts (published on
        # commit) runs after the request's own time is taken, as a worker would.
        started, cpu_started = time.perf_counter(), time.process_time()
        with transaction.atomic():
            response = client.post(url, data)
            request = time.perf_counter() - started
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        assert response.status_code in (200, 302), (action, response.status_code)
        said = _messages(client, response)
        if check is not None:
            check(response, said)
        figures[f"{action}_s"] = round(wall, 2)
        figures[f"{action}_cpu_s"] = round(cpu, 2)
        figures[f"{action}_request_s"] = round(request, 2)
        print(
            f"{action}: {wall:.2f} s ({cpu:.2f} s CPU in the process; the request "
            f"itself {request:.2f} s, the rest its job after the commit) "
            f"-> {response.status_code} {'; '.join(said)[:120]}",
            flush=True,
        )
        return response

    # The seed stores its decisions without their history; decide() logs each one,
    # and undo restores a desk reject's reason from that log.
    DecisionLog.objects.bulk_create(
        DecisionLog(
            submission_id=d.submission_id,
            outcome=d.outcome,
            reason=d.reason,
            by=d.set_by,
            at=d.set_at,
        )
        for d in Decision.objects.all()
    )
    numbers = [str(n) for n in range(1, count + 1)]
    bulk = {"numbers": numbers, "outcome": Outcome.ACCEPT_POSTER, "reason": ""}
    page = timed("bulk_decide_confirm_page", reverse("decisions:bulk"), bulk)
    assert page.content.count(b'name="numbers"') == count
    timed("bulk_decide", reverse("decisions:bulk"), {**bulk, "confirmed": "on"})
    assert Decision.objects.filter(outcome=Outcome.ACCEPT_POSTER).count() == count
    bulk_id = (
        DecisionLog.objects.exclude(bulk_id=None)
        .order_by("-pk")
        .values_list("bulk_id", flat=True)
        .first()
    )
    timed("bulk_undo", reverse("decisions:bulk-undo"), {"bulk_id": str(bulk_id)})
    assert Decision.objects.filter(outcome=Outcome.ACCEPT_POSTER).count() < count / 2

    conference = Conference.objects.current()
    tag = create_tag(
        conference,
        name="bench",
        colour=Tag.Colour.choices[0][0],
        visibility=Tag.Visibility.choices[0][0],
        by=chair,
    )
    timed(
        "bulk_tag",
        reverse("submissions:chair-bulk-tag"),
        {"tag": tag.pk, "action": "add", "q": ""},
    )
    pasted = "\n".join(
        f"Invitee {i} <inv{i}@pool{i % 40}.example.net>" for i in range(count)
    )
    timed(
        "invite_reviewers",
        reverse("reviews:invitations"),
        {"email": "", "name": "", "pasted": pasted},
    )

    # Accept everything again and release it with mail (not timed here: release is
    # already a job), so every author of an acceptance lacks a camera-ready.
    _messages(
        client, client.post(reverse("decisions:bulk"), {**bulk, "confirmed": "on"})
    )
    _, tokens, _ = preview_release(conference, by=chair)
    started = time.perf_counter()
    result = release_decisions(conference, tokens=tokens, by=chair, notify=True)
    print(
        f"(set-up) released {len(result.released)} decisions, {result.mail_count} "
        f"mails in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    timed("camera_ready_remind", reverse("decisions:camera-ready-progress"), {})

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
