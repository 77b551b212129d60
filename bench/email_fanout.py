"""Fan out 10,000 decision-like mails through the outbox, Redis and two Celery worker
processes to a local SMTP sink; count what arrives.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haet \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/email_fanout.py [--mails 10000] [--workers 2]

Uses its own database (`haet_bench_mail` on the DATABASE_URL's server, created and
migrated here) and empties the Celery queue of the REDIS_URL's database first. Prints
progress, then as its last line:
{"mails": 10000, "seconds": ..., "per_second": ..., "duplicates": 0, "missing": 0}
"""

import argparse
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = "haet_bench_mail"
KEY_HEADER = re.compile(rb"^X-Haet-Outbox-Key: (.+?)\r?$", re.MULTILINE)


def fail(message: str) -> None:
    print(f"email_fanout: {message}", file=sys.stderr)
    sys.exit(2)


def bench_database_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        fail("DATABASE_URL must be PostgreSQL (the bench needs real row locks)")
    return urlunparse(parsed._replace(path=f"/{BENCH_DB}"))


def create_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=parsed.username or "postgres",
        password=parsed.password or None,
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    admin.close()


class Sink:
    """An SMTP server counting messages by the outbox key header."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        match = KEY_HEADER.search(envelope.content)
        key = match.group(1).decode() if match else "?"
        with self.lock:
            self.counts[key] += 1
        return "250 OK"

    def received(self) -> int:
        with self.lock:
            return sum(self.counts.values())


def start_worker(n: int, env: dict, log_dir: Path) -> subprocess.Popen:
    log = log_dir / f"worker-{n}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "haet",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=bench-{os.getpid()}-{n}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()

    if not os.environ.get("REDIS_URL"):
        fail("REDIS_URL is required (the bench measures the real broker)")
    if not os.environ.get("DATABASE_URL"):
        fail("DATABASE_URL (PostgreSQL) is required")
    database_url = bench_database_url(os.environ["DATABASE_URL"])
    create_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haet.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    import redis
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from haet.models import Conference
    from haet.outbox import services
    from haet.outbox.models import OutboxMail

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    call_command("migrate", verbosity=0, interactive=False)
    OutboxMail.objects.all().delete()
    redis.Redis.from_url(settings.REDIS_URL).delete(
        "celery", "unacked", "unacked_index"
    )

    sink = Sink()
    with socket.socket() as probe:  # a free port (aiosmtpd cannot start on 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}; database {BENCH_DB}", flush=True)

    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "HAET_NOW": "",
        "LOG_LEVEL": "WARNING",
    }
    log_dir = Path(tempfile.mkdtemp(prefix="haet-bench-mail-"))
    workers = [start_worker(n, env, log_dir) for n in range(args.workers)]

    def stop_workers():
        for process in workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    try:
        conference = Conference.objects.current()
        # Render each mail, as `send decisions` would, then insert in bulk.
        started = time.monotonic()
        now = timezone.now()
        rows = []
        keys = []
        for n in range(args.mails):
            key = f"decision:bench-{n}:accept"
            subject, text, html = services.render_mail(
                "_test",
                services.mail_context(
                    {"conference": conference, "name": f"Author {n}", "title": f"#{n}"}
                ),
            )
            keys.append(key)
            rows.append(
                OutboxMail(
                    to_email=f"author{n}@bench.example",
                    template="_test",
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    dedupe_key=key,
                    next_attempt_at=now + services.PUBLISH_GRACE,
                )
            )
        OutboxMail.objects.bulk_create(rows, batch_size=1000)
        ids = list(OutboxMail.objects.values_list("pk", flat=True))
        rendered = time.monotonic() - started
        published = services.publish(ids)
        print(
            f"queued {len(ids)} rows in {rendered:.1f} s, published {published}",
            flush=True,
        )
        if published != len(ids):
            fail("publishing to Redis failed")

        deadline = time.monotonic() + args.timeout
        sent = 0
        while time.monotonic() < deadline:
            time.sleep(2)
            sent = OutboxMail.objects.filter(status=OutboxMail.Status.SENT).count()
            elapsed = time.monotonic() - started
            print(
                f"{elapsed:6.1f} s  sent {sent:>6}  received {sink.received():>6}  "
                f"{sent / elapsed:7.1f}/s",
                flush=True,
            )
            for process in workers:
                if process.poll() is not None:
                    fail(f"a worker died:\n{process.log.read_text()[-2000:]}")
            if sent >= len(ids):
                break
        seconds = time.monotonic() - started
        time.sleep(0.5)  # the sink answers before the worker writes SENT
    finally:
        stop_workers()
        controller.stop()

    counts = sink.counts
    duplicates = sum(count - 1 for count in counts.values() if count > 1)
    missing = sum(1 for key in keys if counts[key] == 0)
    statuses = Counter(OutboxMail.objects.values_list("status", flat=True))
    print(f"statuses: {dict(statuses)}; worker logs in {log_dir}", flush=True)
    result = {
        "mails": len(keys),
        "seconds": round(seconds, 1),
        "per_second": round(len(keys) / seconds, 1),
        "duplicates": duplicates,
        "missing": missing,
    }
    print(json.dumps(result), flush=True)
    if duplicates or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
