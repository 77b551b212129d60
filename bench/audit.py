"""What the audit log costs a write, on PostgreSQL.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/haet_c
.venv/bin/python bench/audit.py [--saves 1000] [--rounds 3]``.

Creates a throw-away database (``<name>_bench_audit``) with N submissions, then
saves each one (a changed title, one transaction per save, as a request would)
with auditing switched off and on, alternating rounds so neither side gets the
warmer cache. Each audited save reads the old values and inserts the entry
(pending); after its commit, the seal takes the log's advisory lock for one short
transaction, reads the pending entries and the chain's head and chains them
(haet/audit/chain.py). Reports the median per-save
time of each side over the rounds, the overhead, the queries per save, and how
long `verify_audit_log` takes over the entries written; the last line is JSON:
``{"saves": …, "plain_ms": …, "audited_ms": …, "overhead_ms": …,
"overhead_pct": …, "queries_plain": …, "queries_audited": …, "entries": …,
"verify_s": …}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._django import setup_django, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="Keep the database.")
    args = parser.parse_args()

    setup_django()
    with throwaway_database("_bench_audit", keep=args.keep):
        ids = seed(args.saves)
        run(ids, args.rounds)


def seed(count: int) -> list[int]:
    from django.core.management import call_command

    from haet import audit
    from haet.models import Conference, User
    from submissions.models import Submission

    with audit.disabled():
        call_command("seed_haet2022", stdout=open(os.devnull, "w"))  # noqa: SIM115
        conference = Conference.objects.current()
        author = User.objects.create_user("bench-author@uni.example", "x")
        rows = Submission.objects.bulk_create(
            Submission(
                conference=conference,
                number=i + 1,
                title=f"Efficient training method {i + 1}",
                abstract="We train networks with less energy.",
                state=Submission.State.SUBMITTED,
                contact=author,
                created_by=author,
            )
            for i in range(count)
        )
    return [row.pk for row in rows]


def save_all(ids: list[int], label: str) -> tuple[float, int]:
    """Seconds per save, and queries per save (counted over the first 10)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from submissions.models import Submission

    rows = list(Submission.objects.filter(pk__in=ids).order_by("pk"))

    def save(row: Submission) -> None:
        with transaction.atomic():
            row.title = f"{label} {row.pk}"
            row.save()

    with CaptureQueriesContext(connection) as captured:
        for row in rows[:10]:
            save(row)
    started = time.perf_counter()
    for row in rows[10:]:
        save(row)
    elapsed = time.perf_counter() - started
    return elapsed / max(len(rows) - 10, 1), len(captured) // min(len(rows), 10)


def run(ids: list[int], rounds: int) -> None:
    from haet import audit
    from haet.audit.chain import verify
    from haet.audit.models import AuditEntry

    plain, audited = [], []
    queries_plain = queries_audited = 0
    for n in range(rounds):
        with audit.disabled():
            seconds, queries_plain = save_all(ids, f"plain {n}")
        plain.append(seconds)
        with audit.acting(None, request_id=f"bench-{n}"):
            seconds, queries_audited = save_all(ids, f"audited {n}")
        audited.append(seconds)
        print(
            f"round {n + 1}: plain {plain[-1] * 1000:.3f} ms/save, "
            f"audited {audited[-1] * 1000:.3f} ms/save"
        )
    started = time.perf_counter()
    checked, broken = verify()
    verify_s = time.perf_counter() - started
    if broken is not None:
        sys.exit(f"The chain broke at entry {broken.seq}: {broken.reason}")
    plain_ms = statistics.median(plain) * 1000
    audited_ms = statistics.median(audited) * 1000
    result = {
        "saves": len(ids),
        "rounds": rounds,
        "plain_ms": round(plain_ms, 3),
        "audited_ms": round(audited_ms, 3),
        "overhead_ms": round(audited_ms - plain_ms, 3),
        "overhead_pct": round(100 * (audited_ms - plain_ms) / plain_ms, 1),
        "queries_plain": queries_plain,
        "queries_audited": queries_audited,
        "entries": AuditEntry.objects.count(),
        "verified": checked,
        "verify_s": round(verify_s, 3),
    }
    print(
        f"{len(ids)} saves: {plain_ms:.3f} ms without the log, {audited_ms:.3f} ms "
        f"with it (+{result['overhead_ms']} ms, {result['overhead_pct']}%); "
        f"{queries_plain} -> {queries_audited} queries a save; verify_audit_log "
        f"over {checked} entries: {verify_s:.2f} s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
