"""Benchmark the submissions search language on PostgreSQL (issue 15).

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/haet_h
.venv/bin/python bench/search.py [--submissions 1000] [--repeat 10]``.

Creates a throw-away database (``<name>_bench_search``), seeds N submissions with
3 authors and 3 submitted reviews each, decisions on a third (the dashboard
bench's seed), then 20 tags (private, chairs', reviewers') on about a tenth of the
submissions each and one automatic tag from a saved search. Then runs a fixed set
of realistic queries as a chair, each `--repeat` times, timing the server side of
one search: `search_submissions` on what the chair may see, the match count and
the first page of 50 (the chairs' list shows both). Prints one line per query,
then the summary; the last line is JSON:
``{"submissions": 1000, "queries_tried": …, "p50_ms": …, "p95_ms": …,
"queries": …}`` where "queries" is the most SQL queries one search took (the
fewest is printed too: a #tag adds the one read of the automatic tags). The bench
runs ANALYZE after seeding, as autovacuum would on a live database.
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

QUERIES = [
    "sparse",
    '"quantised networks"',
    "GPUs OR TPUs",
    "status:submitted",
    "status:withdrawn",
    "reviews:<3",
    "score:>1.5",
    "spread:>=2",
    "confidence:<=2",
    "score:>1 spread:>=3",
    "decision:accept",
    "decision:undecided reviews:3",
    "NOT decision:reject score:>0",
    "topic:energy",
    'author:"Author 12"',
    'affiliation:"University 7"',
    "flag:identity",
    "flag:late OR flag:over-length",
    "#tag-1",
    "#tag-2 OR #tag-3 -#tag-4",
    "#short",
    "(sparse OR analog) AND (FPGAs OR microcontrollers) score:>=0",
    "energy -federated reviews:>=3 confidence:>3",
    "123",
    "field:track=systems",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="Keep the database.")
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from bench.dashboard import seed

    with throwaway_database("_bench_search", keep=args.keep):
        chair, _ = seed(args.submissions)
        tag_count = add_tags(chair)
        with connection.cursor() as cursor:
            # What autovacuum does to a live database after such a load: without
            # statistics the planner takes 3,000 fresh rows for 17.
            cursor.execute("ANALYZE")
        run(chair, args.submissions, tag_count, args.repeat)


def add_tags(chair) -> int:
    from haet.models import Conference
    from submissions.models import Submission, SubmissionTag, Tag
    from submissions.tagging import create_tag, save_search

    rng = random.Random(15)
    conference = Conference.objects.current()
    ids = list(Submission.objects.values_list("pk", flat=True))
    visibilities = ["chairs", "chairs", "reviewers", "private"]
    tags = [
        create_tag(
            conference,
            name=f"tag-{n}",
            colour=rng.choice(Tag.Colour.values),
            visibility=visibilities[n % 4],
            by=chair,
        )
        for n in range(19)
    ]
    SubmissionTag.objects.bulk_create(
        SubmissionTag(
            submission_id=pk, tag=tag, added_by=chair, added_at=tag.created_at
        )
        for tag in tags
        for pk in rng.sample(ids, len(ids) // 10)
    )
    short = create_tag(
        conference, name="short", colour="orange", visibility="chairs", by=chair
    )
    save_search(
        conference,
        name="Short of reviews or split",
        query="reviews:<3 OR spread:>=4",
        shared=True,
        auto_tag=short,
        by=chair,
    )
    return len(tags) + 1


def run(chair, count: int, tag_count: int, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haet.rules import conflicted_submission_ids
    from submissions.models import Submission
    from submissions.search import search_submissions

    visible = Submission.objects.exclude(pk__in=conflicted_submission_ids(chair))

    def one(query: str) -> tuple[int, int, str]:
        result = search_submissions(visible, query, user=chair)
        if result.error is not None:
            return 0, 0, result.error.message
        found = result.queryset.count()
        first = list(result.queryset.order_by("number", "pk")[:50])
        return found, len(first), ""

    for query in QUERIES:  # warm up: first connection, caches, the chair's groups
        one(query)
    times: list[float] = []
    query_counts: set[int] = set()
    for query in QUERIES:
        mine = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                found, _shown, error = one(query)
                mine.append((time.perf_counter() - started) * 1000)
            query_counts.add(len(captured))
        times.extend(mine)
        outcome = f"error: {error}" if error else f"{found} found"
        print(
            f"{query!r:70} {statistics.median(mine):6.1f} ms median, "
            f"{max(mine):6.1f} ms max, {len(captured)} queries, {outcome}",
            flush=True,
        )
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{len(QUERIES)} queries x {repeat} over {count} submissions and {tag_count} "
        f"tags: p50 {p50:.1f} ms, p95 {p95:.1f} ms; SQL queries per search: "
        f"{min(query_counts)} to {max(query_counts)}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        json.dumps(
            {
                "submissions": count,
                "queries_tried": len(QUERIES),
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "queries": max(query_counts),
            }
        )
    )


if __name__ == "__main__":
    main()
