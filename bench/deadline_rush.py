"""The last hour before the deadline: N authors at once sign in, create a
submission, upload a 4-page PDF and submit, against the production-like stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haet_r \\
    REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/deadline_rush.py [--authors 50] [--uploads 4] \\
            [--workers 2] [--threads 16] [--database haet_rush]

Starts gunicorn, a Celery worker and an SMTP sink on 127.0.0.1, with PostgreSQL
(the database --database on DATABASE_URL's server, dropped and created afresh) and
Redis (REDIS_URL); DEBUG off. The conference is HAET 2022 with its dates moved so the
submission deadline is two hours away. Each author signs in (timed apart: password
hashing is not upload latency), waits until every author has signed in, then
creates a draft, uploads --uploads PDFs (each one timed: the upload request itself),
and submits. Receipts are counted at the SMTP sink. Prints progress, then as its
last line:
{"authors": N, "uploads": ..., "errors": ..., "per_second": ..., "p50_s": ...,
 "p95_s": ..., "receipts": ..., "duplicates": ..., ...}
Exits 1 when there were errors or a receipt is missing or doubled. The stack gets
this environment too, so e.g. PDF_SANDBOX_WORKERS=1 sizes its sandboxes. Besides
wall times (which follow the neighbours' load on a shared machine) it reports the
CPU the web (gunicorn and its PDF sandboxes), PostgreSQL and the worker used per
upload, which sizes the server (README, "Sizing the web server").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._authors import PASSWORD, Author, run_author  # noqa: E402
from bench._paper import build_submission_pdf  # noqa: E402
from bench._stack import Stack, StackError, wait_until  # noqa: E402


# --- setup (in this process, on the bench's database) -------------------------------
def seed(authors: int, *, run_tag: str) -> list[str]:
    """HAET 2022 open for submission (deadline in two hours) and `authors`
    verified accounts; returns the topic ids the form offers."""
    import django

    django.setup()
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from haet import clock
    from haet.models import Conference, ImportantDate, User
    from haet.services import change_date
    from submissions.models import SubmissionSettings

    with open(os.devnull, "w") as devnull:
        call_command("seed_haet2022", "--stage", "cfp", stdout=devnull)
    conference = Conference.objects.current()
    # HAET_NOW is refused with DEBUG off, so the dates move instead: every date by the
    # same amount, keeping their order, the submission deadline two hours from now.
    deadline = conference.dates.get(kind=ImportantDate.Kind.SUBMISSION_DEADLINE)
    shift = clock.now() + timedelta(hours=2) - deadline.at
    for date in conference.dates.order_by("-at"):
        change_date(date, at=date.at + shift)
    SubmissionSettings.objects.for_conference(conference)
    # One hash for every account: hashing 50 passwords here would only slow setup.
    hashed = make_password(PASSWORD)
    emails = [f"author{n}.{run_tag}@rush.example" for n in range(authors)]
    users = User.objects.bulk_create(
        User(email=email, password=hashed, name=f"Rush Author {n}")
        for n, email in enumerate(emails)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
    )
    topics = [str(pk) for pk in conference.topics.values_list("pk", flat=True)[:2]]
    from django.db import connections

    connections.close_all()
    return topics


# --- figures ------------------------------------------------------------------------
def client_cpu_seconds() -> float:
    """CPU time (user + system) of this process: the simulated authors."""
    times = os.times()
    return times.user + times.system


def machine_cpu_seconds() -> float:
    """CPU time every core spent busy since boot (/proc/stat), all processes."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return round(ordered[index], 3)


def summary(values: list[float]) -> dict:
    return {
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "max": round(max(values), 3) if values else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--authors", type=int, default=50)
    parser.add_argument("--uploads", type=int, default=4, help="PDFs per author")
    # The defaults are docker-compose's sizing; --workers 4 --threads 1 is the
    # configuration issue 20 measured.
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=16, help="threads per worker")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--database", default="haet_rush")
    parser.add_argument("--timeout", type=float, default=900, help="whole rush, s")
    parser.add_argument("--receipt-timeout", type=float, default=120)
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        print("deadline_rush: set DATABASE_URL and REDIS_URL", file=sys.stderr)
        sys.exit(2)
    stack = Stack(
        server_url=os.environ["DATABASE_URL"],
        database=args.database,
        redis_url=os.environ["REDIS_URL"],
        gunicorn_workers=args.workers,
        gunicorn_threads=args.threads,
        celery_concurrency=args.celery_concurrency,
        conn_max_age=args.conn_max_age,
        keep_database=args.keep_database,
        # One proxy (TLS) in front of gunicorn, as in production; the clients'
        # X-Forwarded-For is what it would send.
        extra_env={"TRUSTED_PROXY_COUNT": "1"},
    )
    pdf_folder = Path(tempfile.mkdtemp(prefix="haet-rush-pdfs-"))
    result = None
    try:
        result = run(stack, args, pdf_folder)
    except StackError as error:
        print(f"deadline_rush: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        stack.stop()
        for pdf in pdf_folder.glob("*.pdf"):
            pdf.unlink()
        pdf_folder.rmdir()
        failed = result is None or result["errors"] or result["missing"]
        if failed or result["duplicates"]:
            # The logs say why; the rest of the folder (uploaded files) goes.
            print(f"logs kept in {stack.folder}", file=sys.stderr, flush=True)
        else:
            stack.remove_files()
    print(json.dumps(result), flush=True)
    if result["errors"] or result["duplicates"] or result["missing"]:
        sys.exit(1)


def run(stack: Stack, args, pdf_folder: Path) -> dict:
    import redis

    run_tag = f"{os.getpid()}{random.randrange(10**6)}"
    started = time.monotonic()
    authors = [
        Author(
            index=n,
            email=f"author{n}.{run_tag}@rush.example",
            client_ip=f"10.{random.randrange(256)}.{n // 250}.{n % 250 + 1}",
            pdfs=[
                build_submission_pdf(
                    pdf_folder / f"paper-{n}-{k}.pdf", title=f"Rush Study {n}.{k}"
                )
                for k in range(args.uploads)
            ],
        )
        for n in range(args.authors)
    ]
    print(
        f"built {args.authors * args.uploads} PDFs in "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )
    stack.prepare_database()
    for name in ("DEBUG", "HAET_NOW"):  # production-like: both unset
        os.environ.pop(name, None)
    os.environ.update(stack.env())
    topics = seed(args.authors, run_tag=run_tag)
    # Messages an earlier run left in the queue would only slow the worker down.
    redis.Redis.from_url(stack.redis_url).delete("celery", "unacked", "unacked_index")
    stack.start()
    print(
        f"stack up at {stack.base_url}: gunicorn {args.workers} workers x "
        f"{args.threads} threads, worker concurrency {args.celery_concurrency}, "
        f"database {args.database}; logs in {stack.folder}",
        flush=True,
    )

    barrier = threading.Barrier(args.authors, timeout=args.timeout)
    rush_started = threading.Event()
    threads = [
        threading.Thread(
            target=run_author,
            args=(author, stack.base_url, topics, barrier, rush_started),
            daemon=True,
        )
        for author in authors
    ]
    for thread in threads:
        thread.start()
    wait_until(rush_started.is_set, timeout=args.timeout)
    rush_at = time.monotonic()
    cpu_before = stack.cpu_seconds()
    client_before, machine_before = client_cpu_seconds(), machine_cpu_seconds()
    deadline = rush_at + args.timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    rush_seconds = time.monotonic() - rush_at
    cpu = {
        name: used - cpu_before.get(name, 0.0)
        for name, used in stack.cpu_seconds().items()
    }
    client_cpu = client_cpu_seconds() - client_before
    machine_cpu = machine_cpu_seconds() - machine_before
    for author, thread in zip(authors, threads, strict=True):
        if thread.is_alive():
            author.errors.append(f"still running after {args.timeout:.0f} s")
    stack.check_alive()

    submitted = [a for a in authors if a.submitted]
    # Each submitted author gets one receipt; wait for them (bounded), then a moment
    # more so a duplicate would have time to arrive too.
    wait_until(
        lambda: len(stack.sink.counts("receipt:")) >= len(submitted),
        timeout=args.receipt_timeout,
        interval=0.25,
    )
    time.sleep(1.0)
    per_key = stack.sink.counts("receipt:")
    per_recipient = stack.sink.recipients("receipt:")
    receipts = sum(per_key.values())
    duplicates = sum(count - 1 for count in per_key.values() if count > 1)
    missing = sum(1 for a in submitted if per_recipient[a.email.lower()] == 0)

    uploads = [s for a in authors for s in a.upload_s]
    errors = [e for a in authors for e in a.errors]
    for error in sorted(set(errors))[:10]:
        print(f"error ({errors.count(error)}x): {error}", flush=True)
    signin = summary([a.signin_s for a in authors if a.signin_s is not None])
    form = summary([s for a in authors for s in a.form_s])
    create = summary([a.create_s for a in authors if a.create_s is not None])
    submit = summary([a.submit_s for a in authors if a.submit_s is not None])
    upload = summary(uploads)
    print(
        f"sign-in {signin}; form {form}; create {create}; upload {upload}; "
        f"submit {submit}; rush {rush_seconds:.1f} s; CPU s during the rush: "
        + ", ".join(f"{name} {used:.1f}" for name, used in cpu.items())
        + f", clients {client_cpu:.1f}, whole machine {machine_cpu:.1f}",
        flush=True,
    )
    web_cpu = cpu["gunicorn"] + cpu["sandbox"]
    per_upload = web_cpu / len(uploads) if uploads else None
    return {
        "authors": args.authors,
        "uploads": len(uploads),
        "errors": len(errors),
        "per_second": round(len(uploads) / rush_seconds, 2) if rush_seconds else 0,
        "p50_s": upload["p50"],
        "p95_s": upload["p95"],
        "receipts": receipts,
        "duplicates": duplicates,
        "missing": missing,
        "max_s": upload["max"],
        "form_p95_s": form["p95"],
        "create_p95_s": create["p95"],
        "submit_p95_s": submit["p95"],
        "signin_p50_s": signin["p50"],
        "signin_p95_s": signin["p95"],
        "rush_s": round(rush_seconds, 1),
        # Web CPU (gunicorn and its PDF sandboxes) per upload, the rush's forms,
        # creates and submits included: 2 cores / this = the most uploads/s.
        "web_cpu_s_per_upload": round(per_upload, 3) if per_upload else None,
        "sandbox_cpu_share": round(cpu["sandbox"] / web_cpu, 2) if web_cpu else None,
        "worker_cpu_s": round(cpu["worker"], 1),
        "postgres_cpu_s": round(cpu["postgres"], 1),
        # This process (50 HTTP clients) runs on the same cores; what the
        # machine used besides the stack and the clients is the neighbours' load
        # (other processes on a shared machine), which slows every wall time.
        "client_cpu_s": round(client_cpu, 1),
        "others_cpu_s": round(machine_cpu - client_cpu - sum(cpu.values()), 1),
        "cores": os.cpu_count(),
        "gunicorn": f"{args.workers}x{args.threads}",
        "conn_max_age": args.conn_max_age,
    }


if __name__ == "__main__":
    main()
