"""Run the parsing in warm worker processes with memory, CPU and wall-time limits.

A hostile or merely broken PDF can make a parser allocate without bound, loop,
or crash in C code. In a child process with limits that only ends the child;
the caller gets a SandboxError it turns into an `unreadable` report.

Starting a fresh interpreter per check cost more than the check itself
(interpreter, pikepdf and PDFium start-up), so a small pool of warm workers
(`python -m submissions.pdfcheck serve`, see __main__.py) takes the jobs, one at a
time each. A worker keeps its limits: the address-space limit holds for its
whole life, the CPU limit is re-armed before every job (RLIMIT_CPU counts the
whole process, so each job gets CPU_LIMIT_SECONDS more), and the caller kills it
when a job overruns the wall-clock timeout. A worker that crashes, hangs or runs
out of memory is gone and the next job gets a fresh one; a healthy worker still
retires after JOBS_PER_WORKER jobs so no state a hostile file left behind in
the parsers lives on for long. Workers never import Django (this package does
not).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

MEMORY_LIMIT_BYTES = 1024**3  # address space; a 50-page paper needs < 300 MB
CPU_LIMIT_SECONDS = 20
WALL_TIMEOUT_SECONDS = 30
# Jobs before a worker is replaced. Each start costs ~0.3 s of CPU, so this
# makes start-up negligible while a worker never lives long.
JOBS_PER_WORKER = 50
# Workers per process that checks PDFs (each gunicorn worker, each Celery
# worker process). A check is CPU-bound and single-threaded: on the 2-core
# machine we size for, more than 2 checks at once only make every one slower,
# and a third caller simply waits for a free worker. Idle workers cost memory
# only (~60 MB each). PDF_SANDBOX_WORKERS overrides it (.env.example).
POOL_SIZE = max(1, int(os.environ.get("PDF_SANDBOX_WORKERS", "2")))
# The folder that holds the `submissions` package, so the child finds it even
# when the caller's working directory is elsewhere.
_IMPORT_ROOT = Path(__file__).resolve().parents[2]
_STDERR_TAIL = 8192

_NO_ANSWER = "The PDF could not be processed (the checker gave no answer)."


class SandboxError(Exception):
    """The child failed: crashed, hit a limit, timed out or answered nonsense."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def limit_resources(*, cpu_hard_seconds: int | None = None) -> None:
    """Called first thing in the child (never in the caller).

    A worker passes cpu_hard_seconds: the hard CPU limit of its whole life,
    below which arm_cpu_limit raises the soft limit job by job.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no limits, still a process
        return
    # The CPU soft limit sends SIGXCPU (fatal for Python); the hard limit a few
    # seconds later is SIGKILL in case anything caught it.
    cpu_hard = cpu_hard_seconds or CPU_LIMIT_SECONDS + 5
    for limit, soft, hard in (
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS, cpu_hard),
        (resource.RLIMIT_CORE, 0, 0),
    ):
        current = resource.getrlimit(limit)[1]
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(limit, (soft, hard))


def arm_cpu_limit() -> bool:
    """Give the next job CPU_LIMIT_SECONDS from now; False when the worker's
    hard limit leaves less than that (it should retire instead)."""
    try:
        import resource
    except ImportError:  # pragma: no cover
        return True
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime) + 1 + CPU_LIMIT_SECONDS
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY and soft > hard:
        return False
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    return True


class _Worker:
    """One warm `python -m submissions.pdfcheck serve` process."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(_IMPORT_ROOT), env.get("PYTHONPATH")])
        )
        # Whatever the parsers print goes to a file nobody has to drain (a pipe
        # would fill up and block the worker); read back only after a crash.
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "submissions.pdfcheck", "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            cwd=_IMPORT_ROOT,
        )
        self.jobs = 0
        self.retired = False

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        stdin = self.process.stdin
        if stdin is None:  # never: Popen was given PIPEs (this is for typing)
            raise SandboxError(_NO_ANSWER)
        try:
            stdin.write(json.dumps(request).encode() + b"\n")
            stdin.flush()
        except OSError:
            self.retired = True
            raise SandboxError(self._failure()) from None
        self.jobs += 1
        line = self._read_line(timeout)
        if line is None:
            self.kill()
            raise SandboxError(
                f"Processing the PDF took longer than {WALL_TIMEOUT_SECONDS} seconds;"
                " it is too complex or damaged."
            )
        if not line:  # EOF: the worker died (limit, crash, memory)
            self.retired = True
            raise SandboxError(self._failure())
        try:
            answer = json.loads(line)
        except ValueError as error:
            self.kill()
            raise SandboxError(_NO_ANSWER) from error
        if not isinstance(answer, dict) or not isinstance(answer.get("answer"), dict):
            self.kill()
            raise SandboxError(_NO_ANSWER)
        if answer.get("retire") or self.jobs >= JOBS_PER_WORKER:
            self.close()
        return answer["answer"]

    def _read_line(self, timeout: float) -> bytes | None:
        """One line of stdout, b"" at EOF, None when the time is up."""
        stdout = self.process.stdout
        if stdout is None:  # never, as above
            return b""
        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        descriptor = stdout.fileno()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([descriptor], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                return b""
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)

    def _failure(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        if self.process.poll() is None:
            self.kill()
        self.stderr.seek(0, os.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - _STDERR_TAIL))
        message = _failure_message(self.process.returncode or 1, self.stderr.read())
        self._close_pipes()
        return message

    def kill(self) -> None:
        self.retired = True
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        self._close_pipes()

    def close(self) -> None:
        """Retire a healthy worker: EOF on its stdin ends its loop."""
        self.retired = True
        self._close_pipes()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()

    def _close_pipes(self) -> None:
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()


class _Pool:
    """Up to POOL_SIZE workers; a caller waits for a free one (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.pid = os.getpid()
        self.slots = threading.BoundedSemaphore(size)
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        with self.slots:
            worker = self._take()
            try:
                return worker.ask(request, WALL_TIMEOUT_SECONDS)
            finally:
                if not worker.retired:
                    with self.lock:
                        self.idle.append(worker)

    def _take(self) -> _Worker:
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.process.poll() is None:
                    return worker
                worker.kill()  # died while idle: replace it
        return _Worker()

    def shutdown(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.close()


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def _current_pool() -> _Pool:
    global _pool
    with _pool_lock:
        # After a fork (gunicorn preloading the app) the parent's workers and
        # pipes are not ours: start a pool of our own.
        if _pool is None or _pool.pid != os.getpid():
            _pool = _Pool(POOL_SIZE)
        return _pool


def shutdown() -> None:
    """Stop the idle workers (tests, and at exit)."""
    if _pool is not None and _pool.pid == os.getpid():
        _pool.shutdown()


atexit.register(shutdown)


def run(command: str, *args: Any) -> dict[str, Any]:
    """Run COMMAND (check, copy) with ARGS in a warm worker, return its answer."""
    return _current_pool().run({"command": command, "args": list(args)})


def _failure_message(returncode: int, stderr: bytes) -> str:
    if b"MemoryError" in stderr or b"bad_alloc" in stderr:
        return "The PDF needs too much memory to process; it may be damaged."
    if returncode < 0:
        # SIGXCPU when the CPU limit is hit, SIGKILL/SIGSEGV for worse.
        return (
            "Processing the PDF failed: it used too much time or memory, or "
            "crashed the parser."
        )
    return "The PDF could not be processed; it may be damaged."
