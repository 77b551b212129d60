"""Run the parsing in a child process with memory, CPU and wall-time limits.

A hostile or merely broken PDF can make a parser allocate without bound, loop,
or crash in C code. In a child process with limits that only ends the child;
the caller gets a SandboxError it turns into an `unreadable` report.

The child is `python -m submissions.pdfcheck`; it never imports Django (this
package does not), so it starts in well under half a second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

MEMORY_LIMIT_BYTES = 1024**3  # address space; a 50-page paper needs < 300 MB
CPU_LIMIT_SECONDS = 20
WALL_TIMEOUT_SECONDS = 30
# The folder that holds the `submissions` package, so the child finds it even
# when the caller's working directory is elsewhere.
_IMPORT_ROOT = Path(__file__).resolve().parents[2]


_NO_ANSWER = "The PDF could not be processed (the checker gave no answer)."


class SandboxError(Exception):
    """The child failed: crashed, hit a limit, timed out or answered nonsense."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def limit_resources() -> None:
    """Called first thing in the child (never in the caller)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no limits, still a process
        return
    # The CPU soft limit sends SIGXCPU (fatal for Python); the hard limit a few
    # seconds later is SIGKILL in case anything caught it.
    for limit, soft, hard in (
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS, CPU_LIMIT_SECONDS + 5),
        (resource.RLIMIT_CORE, 0, 0),
    ):
        current = resource.getrlimit(limit)[1]
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(limit, (soft, hard))


def run(command: str, *args: Any) -> dict[str, Any]:
    """Run `python -m submissions.pdfcheck COMMAND ARGS...`, return its JSON answer."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(_IMPORT_ROOT), env.get("PYTHONPATH")])
    )
    argv = [
        sys.executable,
        "-m",
        "submissions.pdfcheck",
        command,
        *(a if isinstance(a, str) else json.dumps(a) for a in args),
    ]
    try:
        completed = subprocess.run(  # noqa: S603 - our interpreter and module
            argv,
            capture_output=True,
            timeout=WALL_TIMEOUT_SECONDS,
            env=env,
            cwd=_IMPORT_ROOT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise SandboxError(
            f"Processing the PDF took longer than {WALL_TIMEOUT_SECONDS} seconds; "
            "it is too complex or damaged."
        ) from error
    if completed.returncode != 0:
        raise SandboxError(_failure_message(completed.returncode, completed.stderr))
    try:
        answer = json.loads(completed.stdout)
    except ValueError as error:
        raise SandboxError(_NO_ANSWER) from error
    if not isinstance(answer, dict):
        raise SandboxError(_NO_ANSWER)
    return answer


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
