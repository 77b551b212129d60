"""Fan out 10,000 decision-like mails through the outbox, Redis and two Celery worker
processes to a local SMTP sink; count what arrives. Side by side, in the same run and
to the same sink, a plain script sends the same mails over one reused connection: the
outbox's rate is reported as a share of that.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haet_bench_mail \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/email_fanout.py [--mails 10000] [--workers 2]

Uses the DATABASE_URL's database (created if missing, then migrated) and deletes only
the bench's own outbox rows (keys `decision:bench-*`); empties the Celery queue of the
REDIS_URL's database first, so point it at a Redis database of its own.
`per_second` counts from publishing to the last SENT (rendering and inserting the rows
is reported apart, as `queue_seconds`). Prints progress, then as its last line:
{"mails": 10000, "seconds": ..., "per_second": ..., "plain_per_second": ...,
 "ratio": ..., "duplicates": 0, "missing": 0, ...}
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
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
KEY_PREFIX = "decision:bench-"
KEY_HEADER = re.compile(rb"^X-Haet-Outbox-Key: (.+?)\r?$", re.MULTILINE)


def fail(message: str) -> None:
    print(f"email_fanout: {message}", file=sys.stderr)
    sys.exit(2)


def database_name(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        fail("DATABASE_URL must be PostgreSQL (the bench needs real row locks)")
    name = parsed.path.lstrip("/")
    if not name:
        fail("DATABASE_URL names no database")
    return name


def create_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = database_name(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=parsed.username or "postgres",
        password=parsed.password or None,
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


class Sink:
    """An SMTP server counting messages by the outbox key header."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.connections = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1  # one EHLO per SMTP connection
        session.host_name = hostname  # what the default EHLO does
        return responses

    async def handle_DATA(self, server, session, envelope):
        match = KEY_HEADER.search(envelope.content)
        key = match.group(1).decode() if match else "?"
        with self.lock:
            self.counts[key] += 1
        return "250 OK"

    def received(self) -> int:
        with self.lock:
            return sum(self.counts.values())

    def reset(self) -> None:
        with self.lock:
            self.counts = Counter()
            self.connections = 0


def send_plain(port: int) -> None:
    """The yardstick, run as its own process (as the workers are, so it does not
    share the sink's interpreter): the bench's rows as the same messages (the
    outbox's to_message), read from the database and sent over one reused SMTP
    connection, no outbox. Prints the seconds it took."""
    import django

    django.setup()
    from django.core.mail.backends.smtp import EmailBackend

    from haet.outbox.delivery import to_message
    from haet.outbox.models import OutboxMail

    started = time.monotonic()
    backend = EmailBackend(host="127.0.0.1", port=port, fail_silently=False)
    backend.open()
    rows = OutboxMail.objects.filter(dedupe_key__startswith=KEY_PREFIX).order_by("pk")
    for mail in rows.iterator(chunk_size=1000):
        backend.send_messages([to_message(mail)])
    backend.close()
    print(time.monotonic() - started, flush=True)


def run_plain(port: int, env: dict) -> float:
    done = subprocess.run(
        [sys.executable, __file__, "--plain-port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        fail(f"the plain script failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.split()[-1])


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
            "--loglevel=INFO",  # for " ready."; task lines are per batch
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
    parser.add_argument("--plain-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_port:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haet.settings")
        sys.path.insert(0, str(ROOT))
        send_plain(args.plain_port)
        return

    if not os.environ.get("REDIS_URL"):
        fail("REDIS_URL is required (the bench measures the real broker)")
    if not os.environ.get("DATABASE_URL"):
        fail("DATABASE_URL (PostgreSQL) is required")
    database_url = os.environ["DATABASE_URL"]
    create_database(database_url)
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
    from haet.outbox import delivery, services
    from haet.outbox.models import OutboxMail

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    call_command("migrate", verbosity=0, interactive=False)
    bench_rows = OutboxMail.objects.filter(dedupe_key__startswith=KEY_PREFIX)
    bench_rows.delete()
    redis.Redis.from_url(settings.REDIS_URL).delete(
        "celery", "unacked", "unacked_index"
    )

    sink = Sink()
    with socket.socket() as probe:  # a free port (aiosmtpd cannot start on 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    print(
        f"SMTP sink on 127.0.0.1:{port}; database {database_name(database_url)}",
        flush=True,
    )

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

    def sent_count() -> int:
        return bench_rows.filter(status=OutboxMail.Status.SENT).count()

    try:
        conference = Conference.objects.current()
        # Render each mail, as `send decisions` would, then insert in bulk.
        started = time.monotonic()
        now = timezone.now()
        rows = []
        keys = []
        for n in range(args.mails):
            key = f"{KEY_PREFIX}{n}:accept"
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
                    next_attempt_at=now + delivery.PUBLISH_GRACE,
                )
            )
        OutboxMail.objects.bulk_create(rows, batch_size=1000)
        ids = list(bench_rows.order_by("pk").values_list("pk", flat=True))
        queue_seconds = time.monotonic() - started
        print(f"queued {len(ids)} rows in {queue_seconds:.1f} s", flush=True)

        # The yardstick first, while the workers (started above) sit idle.
        plain_seconds = run_plain(port, env)
        plain_received = sink.received()
        plain_connections = sink.connections
        print(
            f"plain script: {plain_received} mails in {plain_seconds:.1f} s over "
            f"{plain_connections} connection(s), {len(ids) / plain_seconds:.0f}/s",
            flush=True,
        )
        sink.reset()

        for process in workers:
            ready = False
            for _ in range(600):
                if b" ready." in process.log.read_bytes():
                    ready = True
                    break
                if process.poll() is not None:
                    break
                time.sleep(0.1)
            if not ready:
                fail(f"a worker did not start:\n{process.log.read_text()[-2000:]}")

        started = time.monotonic()
        published = services.publish(ids)
        print(f"published {published}", flush=True)
        if published != len(ids):
            fail("publishing to Redis failed")

        deadline = time.monotonic() + args.timeout
        sent = 0
        last_print = 0.0
        while time.monotonic() < deadline:
            time.sleep(0.2)
            sent = sent_count()
            elapsed = time.monotonic() - started
            if sent >= len(ids) or elapsed - last_print >= 2:
                last_print = elapsed
                print(
                    f"{elapsed:6.1f} s  sent {sent:>6}  received {sink.received():>6}"
                    f"  {sent / elapsed:7.1f}/s",
                    flush=True,
                )
            for process in workers:
                if process.poll() is not None:
                    fail(f"a worker died:\n{process.log.read_text()[-2000:]}")
            if sent >= len(ids):
                break
        seconds = time.monotonic() - started
        time.sleep(0.5)  # room for a late duplicate to arrive
    finally:
        stop_workers()
        controller.stop()

    counts = sink.counts
    duplicates = sum(count - 1 for count in counts.values() if count > 1)
    missing = sum(1 for key in keys if counts[key] == 0)
    statuses = Counter(bench_rows.values_list("status", flat=True))
    print(f"statuses: {dict(statuses)}; worker logs in {log_dir}", flush=True)
    per_second = len(keys) / seconds
    plain_per_second = len(keys) / plain_seconds
    result = {
        "mails": len(keys),
        "workers": args.workers,
        "queue_seconds": round(queue_seconds, 1),
        "seconds": round(seconds, 1),
        "per_second": round(per_second, 1),
        "connections": sink.connections,
        "plain_seconds": round(plain_seconds, 1),
        "plain_per_second": round(plain_per_second, 1),
        "plain_missing": len(keys) - plain_received,
        "ratio": round(per_second / plain_per_second, 3),
        "duplicates": duplicates,
        "missing": missing,
    }
    print(json.dumps(result), flush=True)
    if duplicates or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
