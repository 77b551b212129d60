"""The production-like haet stack on this machine, for benches: PostgreSQL (a
database of the bench's own), Redis, gunicorn, a Celery worker and an SMTP sink.

DEBUG is off and the settings are production-like (a real SECRET_KEY, ALLOWED_HOSTS,
no HAET_NOW); only TLS is off, since everything speaks plain HTTP on 127.0.0.1
(SECURE_SSL_REDIRECT, the Secure cookie flags and HSTS are switched off through
their environment variables). `Stack.stop()` ends every process this module
started; callers use it in `finally`, and `atexit` covers the rest.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]


class StackError(Exception):
    """The stack could not be started (a service is missing or a process died)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# --- PostgreSQL ---------------------------------------------------------------------
def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url`."""
    parsed = urlparse(server_url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise StackError("DATABASE_URL must be PostgreSQL (the production database)")
    return urlunparse(parsed._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg2

    parsed = urlparse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=parsed.username or "postgres",
        password=parsed.password or None,
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def recreate_database(url: str) -> None:
    """Drop and create the bench's database, so every run starts empty. Only a
    name with "rush" or "bench" in it is dropped: never someone else's data."""
    name = urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or not re.search(r"rush|bench", name):
        raise StackError(
            f"refusing to drop database {name!r}: the bench's database name must "
            "contain 'rush' or 'bench' (lowercase letters, digits, underscores)"
        )
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def drop_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()


# --- SMTP sink ----------------------------------------------------------------------
class Sink:
    """An SMTP server on 127.0.0.1 that keeps (outbox key, recipients) per mail."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mails: list[tuple[str, tuple[str, ...]]] = []
        self.controller = None
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        # A long key is folded onto a continuation line: unfold it.
        key = "".join((message["X-Haet-Outbox-Key"] or "?").split())
        with self.lock:
            self.mails.append((key, tuple(r.lower() for r in envelope.rcpt_tos)))
        return "250 OK"

    def start(self) -> None:
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
        self.port = free_port()  # aiosmtpd cannot start on port 0
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def counts(self, prefix: str) -> Counter:
        """Mails whose outbox key starts with `prefix`, counted per key."""
        with self.lock:
            return Counter(key for key, _ in self.mails if key.startswith(prefix))

    def recipients(self, prefix: str) -> Counter:
        with self.lock:
            return Counter(
                to for key, tos in self.mails if key.startswith(prefix) for to in tos
            )


# --- the processes ------------------------------------------------------------------
@dataclass
class Stack:
    server_url: str  # DATABASE_URL: the PostgreSQL server (its database is not used)
    database: str  # the bench's own database on that server, recreated
    redis_url: str
    gunicorn_workers: int = 4
    gunicorn_threads: int = 1
    gunicorn_timeout: int = 60
    celery_concurrency: int = 2
    conn_max_age: int = 60
    keep_database: bool = False
    extra_env: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.url = database_url(self.server_url, self.database)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="haet-stack-"))
        self.sink = Sink()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.database_created = False
        self.secret_key = secrets.token_urlsafe(50)
        atexit.register(self.stop)

    # The environment of gunicorn, the worker and the in-process setup.
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DEBUG", "HAET_NOW", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "haet.settings",
                "DATABASE_URL": self.url,
                "REDIS_URL": self.redis_url,
                "CONN_MAX_AGE": str(self.conn_max_age),
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": "127.0.0.1",
                "SITE_URL": self.base_url,
                "CSRF_TRUSTED_ORIGINS": self.base_url,
                # Plain HTTP on 127.0.0.1: no TLS redirect, no Secure-only cookies.
                "SECURE_SSL_REDIRECT": "0",
                "SESSION_COOKIE_SECURE": "0",
                "CSRF_COOKIE_SECURE": "0",
                "SECURE_HSTS_SECONDS": "0",
                "SECURE_HSTS_PRELOAD": "0",
                # The bench's clients fetch no static files, so collectstatic (and its
                # manifest) is skipped; templates then link unhashed /static/ paths.
                "HAET_MANIFEST_STATIC": "0",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.sink.port),
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "HAET_VAR_DIR": str(self.folder / "var"),
                "PRIVATE_STORAGE_ROOT": str(self.folder / "private"),
                "STATIC_ROOT": str(self.folder / "static"),
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def prepare_database(self) -> None:
        """Recreate and migrate the bench's database (before `start`)."""
        recreate_database(self.url)
        self.database_created = True
        self._run(["manage.py", "migrate", "--noinput", "-v", "0"], "migrate")

    def manage(self, *args: str, name: str = "manage") -> str:
        """`manage.py ARGS` with the stack's settings; returns its output."""
        return self._run(["manage.py", *args], name)

    def _run(self, argv: list[str], name: str, timeout: float = 300) -> str:
        completed = subprocess.run(
            [sys.executable, *argv],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if completed.returncode != 0:
            raise StackError(f"{name} failed:\n{completed.stderr[-3000:]}")
        return completed.stdout

    def start(self) -> None:
        """The sink, the worker, then gunicorn; returns when /healthz answers."""
        self.sink.start()
        (self.folder / "private").mkdir(exist_ok=True)
        self._spawn(
            "worker",
            [
                "-m",
                "celery",
                "-A",
                "haet",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.celery_concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=rush-{os.getpid()}@%h",
            ],
        )
        self._spawn(
            "gunicorn",
            [
                "-m",
                "gunicorn",
                "haet.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--worker-class={'gthread' if self.gunicorn_threads > 1 else 'sync'}",
                f"--workers={self.gunicorn_workers}",
                f"--threads={self.gunicorn_threads}",
                f"--timeout={self.gunicorn_timeout}",
                "--log-level=warning",
            ],
        )
        if not wait_until(self._healthy, timeout=60, interval=0.25):
            raise StackError(f"gunicorn did not answer:\n{self.tail('gunicorn')}")
        if not wait_until(
            lambda: b" ready." in self.logs["worker"].read_bytes(), timeout=60
        ):
            raise StackError(f"the worker did not start:\n{self.tail('worker')}")

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = self.folder / f"{name}.log"
        self.logs[name] = log
        self.processes[name] = subprocess.Popen(
            [sys.executable, *argv],
            cwd=ROOT,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a process group: the pool children end too
        )

    def _healthy(self) -> bool:
        process = self.processes["gunicorn"]
        if process.poll() is not None:
            raise StackError(f"gunicorn exited:\n{self.tail('gunicorn')}")
        try:
            # Our own http://127.0.0.1 URL, never user input.
            url = f"{self.base_url}/healthz"
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310
                return r.status == 200
        except OSError:
            return False

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far per service's process group, the
        PDF sandboxes apart: live processes plus the children they reaped (a
        gunicorn worker's only children are sandboxes). A rush's figure is the
        difference of two readings. On a shared machine wall times vary with the
        neighbours' load; CPU per upload does not, and sizes the server."""
        ticks = os.sysconf("SC_CLK_TCK")
        groups = {process.pid: name for name, process in self.processes.items()}
        used = dict.fromkeys([*self.processes, "sandbox", "postgres"], 0.0)
        # PostgreSQL's backends serving our database, when it runs on this machine
        # (readable as root): "postgres: 15/main: USER DATABASE HOST(PORT) ...".
        backend = f" {self.database} ".encode()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
                command = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue  # ended meanwhile
            # The command name may hold spaces: the fields start after ") ".
            fields = text.rsplit(") ", 1)[1].split()
            name = groups.get(int(fields[2]))  # the process group
            own = (int(fields[11]) + int(fields[12])) / ticks
            reaped = (int(fields[13]) + int(fields[14])) / ticks
            if name is None:
                if command.startswith(b"postgres: ") and backend in command:
                    used["postgres"] += own
                continue
            if b"submissions.pdfcheck" in command:
                used["sandbox"] += own + reaped
            elif name == "gunicorn":
                used["gunicorn"] += own
                used["sandbox"] += reaped
            else:
                used[name] += own + reaped
        return used

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise StackError(f"{name} died:\n{self.tail(name)}")

    def tail(self, name: str, size: int = 3000) -> str:
        log = self.logs.get(name)
        if log is None or not log.exists():
            return ""
        return log.read_text(errors="replace")[-size:]

    def stop(self) -> None:
        """Idempotent: SIGTERM every process group, SIGKILL what lingers."""
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()
        self.sink.stop()
        if self.database_created and not self.keep_database:
            with contextlib.suppress(Exception):
                drop_database(self.url)
            self.database_created = False

    def remove_files(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
