"""Real services for the outbox integration tests: an SMTP sink and Celery workers.

`pytest_plugins` in tests/conftest.py makes these fixtures available to every app.
They need REDIS_URL and a PostgreSQL DATABASE_URL, and fail (never skip) under CI.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
IN_CI = bool(os.environ.get("CI"))


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.05) -> bool:
    """Poll; the generous timeout only turns a hang into a failure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_services() -> list[str]:
    missing = []
    if not settings.REDIS_URL:
        missing.append("REDIS_URL is not set")
    else:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at {settings.REDIS_URL} does not answer ({exc})")
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL is not PostgreSQL")
    return missing


@pytest.fixture
def services_ready(transactional_db):
    """Real commits (the worker is another process) on PostgreSQL, Redis up."""
    missing = missing_services()
    if missing:
        reason = "; ".join(missing)
        if IN_CI:
            pytest.fail(f"CI must provide the services: {reason}")
        pytest.skip(f"needs REDIS_URL and a PostgreSQL DATABASE_URL: {reason}")
    # Start from an empty queue: messages left by an earlier run would only be no-ops,
    # but they would slow the worker down.
    redis.Redis.from_url(settings.REDIS_URL).delete(
        "celery", "unacked", "unacked_index"
    )


class SinkHandler:
    """Counts what arrives, by our outbox key header, and the connections it came
    over. It can misbehave as real servers do: refuse some recipients for good
    (`refuse`), or drop the connection in the middle of a mail (`drop_at`)."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list = []
        self.connections = 0
        self.refuse: set[str] = set()  # recipients answered "550 no such user"
        # Which DATA commands (1, 2, ... over the sink's life) lose their connection
        # before the answer: that mail is not accepted, and the client cannot know.
        self.drop_at: set[int] = set()
        self.data_count = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1  # a client says EHLO once per connection
        session.host_name = hostname  # what the default EHLO does
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_count += 1
            drop = self.data_count in self.drop_at
        if drop:
            server.transport.close()
            return "421 Connection lost"  # never reaches the client
        if self.delay:
            time.sleep(self.delay)  # a slow server, so a worker can die mid-queue
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def keys(self) -> list[str]:
        with self.lock:
            # A long key is folded onto a continuation line: unfold it.
            return ["".join(m["X-Haet-Outbox-Key"].split()) for m in self.messages]

    def counts(self) -> Counter:
        return Counter(self.keys())


@pytest.fixture
def smtp_sink():
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def worker_database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    # After pytest-django's setup, NAME is the test database (test_<name>).
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """A real `celery -A haet worker` process in its own process group."""

    def __init__(self, sink: SinkHandler, log_dir: Path, *, concurrency: int = 1):
        self.sink = sink
        self.log_dir = log_dir
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def env(self, **extra) -> dict:
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.sink.port),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "CONN_MAX_AGE": "0",  # no idle connection outlives a test's flush
            "HAET_NOW": "",
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def start(self) -> None:
        self.starts += 1
        log = self.log_dir / f"worker-{self.starts}.log"
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "haet",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=outbox-test-{os.getpid()}-{self.starts}@%h",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # kill -9 takes the pool children too
        )
        if not wait_until(lambda: b" ready." in log.read_bytes(), timeout=60):
            self.stop()
            pytest.fail(f"the worker did not start:\n{log.read_text()[-3000:]}")

    def kill(self) -> None:
        """kill -9: no shutdown, no acks, no 'sent' written."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def worker(services_ready, smtp_sink, tmp_path):
    worker = Worker(smtp_sink, tmp_path)
    worker.start()
    yield worker
    worker.stop()
