"""Benchmark the chairs' acceptance dashboard on PostgreSQL.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/haet_decisions
.venv/bin/python bench/dashboard.py [--submissions 1000] [--renders 40]``.

Creates a throw-away database (``<name>_bench_dashboard``), seeds N submissions
with 3 authors, 1-2 topics and 3 submitted reviews each (plus decisions on a third
and a few award nominations), then renders the dashboard in-process through
Django's test client (the whole server side: middleware, permission, conflicts,
queries, template) and times each render. Prints one line per render, then the
summary; the last line is JSON:
``{"submissions": 1000, "reviews": 3000, "p50_ms": …, "p95_ms": …, "queries": …}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._django import setup_django, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--renders", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="Keep the database.")
    args = parser.parse_args()

    setup_django()
    with throwaway_database("_bench_dashboard", keep=args.keep):
        chair, review_count = seed(args.submissions)
        run(chair, args.submissions, review_count, args.renders)


def seed(count: int):
    from django.core.management import call_command

    from decisions.models import Decision, Outcome
    from haet.models import Conference, Topic, User
    from haet.services import set_role
    from reviews.models import Assignment, Review, ReviewNomination
    from submissions.models import Author, Submission, SubmissionVersion

    started = time.perf_counter()
    rng = random.Random(2022)
    call_command("seed_haet2022", stdout=open(os.devnull, "w"))  # noqa: SIM115
    conference = Conference.objects.current()
    topics = list(Topic.objects.filter(conference=conference))
    awards = list(conference.award_categories.all())
    chair = User.objects.create_user("bench-chair@chairs.example", "x", name="Chair")
    set_role(chair, "chair", granted=True)
    reviewers = User.objects.bulk_create(
        User(email=f"r{i}@lab{i}.example.net", name=f"Reviewer {i}") for i in range(60)
    )
    for reviewer in reviewers:
        set_role(reviewer, "reviewer", granted=True)
    contacts = User.objects.bulk_create(
        User(email=f"a{i}@uni{i % 300}.example.org", name=f"Author {i}")
        for i in range(count)
    )
    now = conference.date("submission").at
    submissions = Submission.objects.bulk_create(
        Submission(
            conference=conference,
            number=i + 1,
            title=f"Efficient training method {i + 1}: "
            + rng.choice(["sparse", "quantised", "analog", "federated"])
            + " networks on "
            + rng.choice(["FPGAs", "GPUs", "microcontrollers", "TPUs"]),
            abstract="We train networks with less energy.",
            state=Submission.State.SUBMITTED,
            submitted_at=now,
            is_late=rng.random() < 0.02,
            contact=contact,
            created_by=contact,
        )
        for i, contact in enumerate(contacts)
    )
    Author.objects.bulk_create(
        Author(
            submission=s,
            order=k,
            name=f"{contact.name}" if k == 0 else f"Coauthor {s.number}-{k}",
            email=contact.email if k == 0 else f"c{s.number}-{k}@uni{k}.example.org",
            affiliation=f"University {s.number % 50}",
            user=contact if k == 0 else None,
        )
        for s, contact in zip(submissions, contacts, strict=True)
        for k in range(3)
    )
    versions = SubmissionVersion.objects.bulk_create(
        SubmissionVersion(
            submission=s,
            original="papers/bench.pdf",
            sha256="0" * 64,
            size=1000,
            page_count=6,
            main_body_pages=rng.choice([4, 4, 4, 4, 5]),
            check_report={
                "warnings": [{"code": "identity_in_text", "message": "x"}]
                if rng.random() < 0.05
                else []
            },
            uploaded_by=s.contact,
            uploaded_at=now,
        )
        for s in submissions
    )
    for s, v in zip(submissions, versions, strict=True):
        s.current_version = v
    Submission.objects.bulk_update(submissions, ["current_version"])
    through = Submission.topics.through
    through.objects.bulk_create(
        through(submission_id=s.pk, topic_id=t.pk)
        for s in submissions
        for t in rng.sample(topics, rng.randint(1, 2))
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            submission=s,
            reviewer=reviewer,
            pseudonym_index=k + 1,
            created_at=now,
        )
        for s in submissions
        for k, reviewer in enumerate(rng.sample(reviewers, 3))
    )
    reviews = Review.objects.bulk_create(
        Review(
            assignment=a,
            score=(score := rng.randint(-3, 3)),
            confidence=(confidence := rng.randint(1, 5)),
            answers={"score": score, "confidence": confidence, "comments": "Fine."},
            state=Review.State.SUBMITTED,
            submitted_at=now,
        )
        for a in assignments
    )
    ReviewNomination.objects.bulk_create(
        ReviewNomination(review=r, award=rng.choice(awards))
        for r in reviews
        if rng.random() < 0.03
    )
    Decision.objects.bulk_create(
        Decision(
            submission=s,
            outcome=rng.choice(list(Outcome)),
            reason="Out of scope.",
            set_by=chair,
            set_at=now,
        )
        for s in submissions[: count // 3]
    )
    print(
        f"seeded {count} submissions, {len(reviews)} reviews in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return chair, len(reviews)


def run(chair, count: int, review_count: int, renders: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(chair)
    url = reverse("decisions:dashboard") + "?sort=-mean"
    for _ in range(3):  # warm up: template loading, first connection
        assert client.get(url).status_code == 200
    times, cpu_times = [], []
    queries = 0
    for i in range(renders):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200
        assert response.content.count(b'name="numbers"') == count
        queries = len(captured)
        times.append(elapsed)
        print(
            f"render {i + 1}: {elapsed:.1f} ms ({cpu_times[-1]:.1f} ms CPU in the "
            f"web process), {queries} queries",
            flush=True,
        )
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries} queries per render; "
        f"web-process CPU p50 {statistics.median(cpu_times):.1f} ms; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        json.dumps(
            {
                "submissions": count,
                "reviews": review_count,
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "queries": queries,
            }
        )
    )


if __name__ == "__main__":
    main()
